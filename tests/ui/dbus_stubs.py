"""A private session bus and stub desktop services on it, for the inhibitor and the reminder.

Run as a program, this file is the stub: `python dbus_stubs.py LOG SERVICE...` serves the named
services (portal, screensaver, notifications) and writes every call it gets to LOG, one JSON
object a line. The stub is typed like the real services (QtDBus checks the argument types), so
a call with the wrong types (`i` for `u`) is refused as a real desktop would refuse it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DBUS_DAEMON = "/usr/bin/dbus-daemon"
HERE = Path(__file__).resolve()


@contextmanager
def private_bus(config: Path | None = None) -> Iterator[str]:
    """A session bus of the test's own (with the system's session configuration, or `config`);
    yields its address."""
    kind = f"--config-file={config}" if config is not None else "--session"
    daemon = subprocess.Popen(
        [DBUS_DAEMON, kind, "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True
    )
    try:
        address = daemon.stdout.readline().strip()
        assert address, "dbus-daemon gave no address"
        yield address
    finally:
        daemon.kill()
        daemon.wait()
        daemon.stdout.close()


@contextmanager
def stub_services(address: str, log: Path, *services: str, invoke: str | None = None) -> Iterator[None]:
    """The stub serving `services` on the bus at `address` until the block ends. With `invoke`,
    the notification stub answers each notification by invoking that action a moment later."""
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address, QT_QPA_PLATFORM="offscreen")
    arguments = [sys.executable, str(HERE), str(log), *services]
    if invoke:
        arguments += ["--invoke", invoke]
    stub = subprocess.Popen(arguments, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert stub.stdout.readline().strip() == "ready", "the stub did not start"
        yield
    finally:
        stub.kill()
        stub.wait()
        stub.stdout.close()


def calls(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text("utf-8").splitlines() if line.strip()]


def wait_for(log: Path, count: int, timeout: float = 15.0) -> list[dict]:
    """The calls once there are at least `count` of them (or what there is after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = calls(log)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    return calls(log)


# -- the stub program --------------------------------------------------------------------------


def _serve(log_path: Path, services: list[str], invoke: str | None) -> int:
    from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, QTimer, Signal, Slot
    from PySide6.QtDBus import QDBusConnection, QDBusObjectPath

    app = QCoreApplication([])
    bus = QDBusConnection.sessionBus()
    log = log_path.open("a", encoding="utf-8")
    export = QDBusConnection.RegisterOption.ExportAllSlots | QDBusConnection.RegisterOption.ExportAllSignals

    def record(call: str, **arguments: object) -> None:
        log.write(json.dumps({"call": call, **arguments}) + "\n")
        log.flush()

    @ClassInfo({"D-Bus Interface": "org.freedesktop.portal.Request"})
    class Request(QObject):
        def __init__(self, path: str):
            super().__init__()
            self.path = path

        @Slot()
        def Close(self) -> None:  # noqa: N802 (the interface's name)
            record("Request.Close", handle=self.path)
            bus.unregisterObject(self.path)

    requests: list[Request] = []

    @ClassInfo({"D-Bus Interface": "org.freedesktop.portal.Inhibit"})
    class Portal(QObject):
        @Slot(str, "uint", "QVariantMap", result=QDBusObjectPath)
        def Inhibit(self, window: str, flags: int, options: dict) -> QDBusObjectPath:  # noqa: N802
            path = f"/org/freedesktop/portal/desktop/request/kindred/t{len(requests) + 1}"
            request = Request(path)
            requests.append(request)
            bus.registerObject(path, request, export)
            record("Inhibit", window=window, flags=flags, reason=options.get("reason"), handle=path)
            return QDBusObjectPath(path)

    @ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
    class ScreenSaver(QObject):
        @Slot(str, str, result="uint")
        def Inhibit(self, application: str, reason: str) -> int:  # noqa: N802
            record("ScreenSaver.Inhibit", application=application, reason=reason, cookie=41)
            return 41

        @Slot("uint")
        def UnInhibit(self, cookie: int) -> None:  # noqa: N802
            record("ScreenSaver.UnInhibit", cookie=cookie)

    @ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
    class Notifications(QObject):
        ActionInvoked = Signal("uint", str)

        @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
        def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout):  # noqa: N802
            record("Notify", app_name=app_name, summary=summary, actions=list(actions), hints=dict(hints))
            if invoke:
                QTimer.singleShot(300, lambda: self.ActionInvoked.emit(7, invoke))
            return 7

    objects = {
        "portal": ("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop", Portal()),
        "screensaver": ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", ScreenSaver()),
        "notifications": ("org.freedesktop.Notifications", "/org/freedesktop/Notifications", Notifications()),
    }
    for name in services:
        service, path, implementation = objects[name]
        if not (bus.registerObject(path, implementation, export) and bus.registerService(service)):
            print(f"could not serve {name}", flush=True)
            return 1
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    args = sys.argv[1:]
    action = None
    if "--invoke" in args:
        at = args.index("--invoke")
        action = args[at + 1]
        del args[at : at + 2]
    sys.exit(_serve(Path(args[0]), args[1:], action))
