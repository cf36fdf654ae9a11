"""Calls to the desktop's services on the session bus, with D-Bus's exact argument types.

The portal, the screen saver and the notification server check argument types strictly, and
several of their arguments are `u` (uint32), which a Python int passed through PySide becomes
`i`. QtDBus types a call from the remote interface's description (its introspection), which it
keeps per interface name for the connection: so Kindred first describes each interface itself,
from its specification (with the Qt type of each `a{sv}`, which real services do not annotate),
and every later call to the real service goes out typed from that description.

Every function here is quiet: no bus, no service, an error reply or a timeout all give None.
"""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QGenericArgumentHolder, QMetaObject, Qt
from PySide6.QtDBus import QDBusConnection, QDBusError, QDBusInterface, QDBusMessage, QDBusVirtualObject

#: Where Kindred's own descriptions are served, on its own connection only.
DESCRIPTIONS_PATH = "/io/github/kindred/Kindred/InterfaceDescriptions"
#: A desktop service that does not answer within this is treated as absent (calls block the UI).
TIMEOUT_MS = 3000

_VARIANT_MAP = '<annotation name="org.qtproject.QtDBus.QtTypeName.In{index}" value="QVariantMap"/>'

#: The interfaces Kindred calls, as their specifications give them (XDG desktop portal,
#: freedesktop ScreenSaver, Desktop Notifications 1.2).
INTERFACES = {
    "org.freedesktop.portal.Inhibit": f"""
    <method name="Inhibit">
      <arg name="window" type="s" direction="in"/>
      <arg name="flags" type="u" direction="in"/>
      <arg name="options" type="a{{sv}}" direction="in"/>
      {_VARIANT_MAP.format(index=2)}
      <arg name="handle" type="o" direction="out"/>
    </method>""",
    "org.freedesktop.portal.Request": """
    <method name="Close"/>""",
    "org.freedesktop.ScreenSaver": """
    <method name="Inhibit">
      <arg name="application_name" type="s" direction="in"/>
      <arg name="reason_for_inhibit" type="s" direction="in"/>
      <arg name="cookie" type="u" direction="out"/>
    </method>
    <method name="UnInhibit">
      <arg name="cookie" type="u" direction="in"/>
    </method>""",
    "org.freedesktop.Notifications": f"""
    <method name="Notify">
      <arg name="app_name" type="s" direction="in"/>
      <arg name="replaces_id" type="u" direction="in"/>
      <arg name="app_icon" type="s" direction="in"/>
      <arg name="summary" type="s" direction="in"/>
      <arg name="body" type="s" direction="in"/>
      <arg name="actions" type="as" direction="in"/>
      <arg name="hints" type="a{{sv}}" direction="in"/>
      {_VARIANT_MAP.format(index=6)}
      <arg name="expire_timeout" type="i" direction="in"/>
      <arg name="id" type="u" direction="out"/>
    </method>
    <signal name="ActionInvoked">
      <arg name="id" type="u"/>
      <arg name="action_key" type="s"/>
    </signal>""",
}


class _Descriptions(QDBusVirtualObject):
    """Answers Introspect for DESCRIPTIONS_PATH with one of INTERFACES (the path's last part)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = ""

    def introspect(self, path: str) -> str:
        return ""

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:  # noqa: N802
        if message.member() != "Introspect":
            return False
        body = INTERFACES.get(self.asked, "")
        connection.send(
            message.createReply(f'<node><interface name="{self.asked}">{body}</interface></node>')
        )
        return True


_described: set[str] = set()
_descriptions: _Descriptions | None = None


def session_bus() -> QDBusConnection | None:
    bus = QDBusConnection.sessionBus()
    return bus if bus.isConnected() else None


def _describe(bus: QDBusConnection, interface: str) -> None:
    """Has QtDBus learn `interface` from Kindred's description (once per interface)."""
    global _descriptions
    if interface in _described:
        return
    if _descriptions is None:
        _descriptions = _Descriptions()
        bus.registerVirtualObject(
            DESCRIPTIONS_PATH, _descriptions, QDBusConnection.VirtualObjectRegisterOption.SingleNode
        )
    _descriptions.asked = interface
    # A call to Kindred's own name is answered in this process, without the bus daemon.
    QDBusInterface(bus.baseService(), DESCRIPTIONS_PATH, interface, bus)
    _described.add(interface)


def remote(service: str, path: str, interface: str) -> QDBusInterface | None:
    """The service's object, typed from INTERFACES; None when there is no bus or no such service."""
    bus = session_bus()
    if bus is None or interface not in INTERFACES:
        return None
    _describe(bus, interface)
    proxy = QDBusInterface(service, path, interface, bus)
    if not proxy.isValid():
        return None
    proxy.setTimeout(TIMEOUT_MS)
    return proxy


def call(
    proxy: QDBusInterface, method: str, arguments: list[QGenericArgumentHolder], returns: str | None = None
) -> object | None:
    """Calls `method` with typed arguments (Q_ARG("uint", 12) …); its result, True for a method
    without one, or None when the call failed."""
    try:
        if returns is None:
            QMetaObject.invokeMethod(proxy, method, Qt.ConnectionType.DirectConnection, *arguments)
            result: object = True
        else:
            result = QMetaObject.invokeMethod(
                proxy, method, Qt.ConnectionType.DirectConnection, Q_RETURN_ARG(returns), *arguments
            )
    except RuntimeError:  # the interface lacks the method as typed: treated like a missing service
        return None
    if proxy.lastError().type() != QDBusError.ErrorType.NoError:
        return None
    return result


__all__ = ["Q_ARG", "call", "remote", "session_bus"]
