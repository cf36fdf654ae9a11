"""`kindred doctor` and `kindred install-desktop`: Kindred's own installation, checked and
added to the desktop's menu."""

from __future__ import annotations

import argparse

from app.commands.exit_status import EXIT_FAILURE, EXIT_OK


def doctor(args: argparse.Namespace) -> int:
    from app.doctor import run_checks

    all_ok = True
    for check in run_checks():
        all_ok &= check.ok
        status = "OK  " if check.ok else "FAIL"
        print(f"{status} {check.name}: {check.detail}")
    return EXIT_OK if all_ok else EXIT_FAILURE


def install_desktop(args: argparse.Namespace) -> int:
    from app import desktop_install

    if args.remove:
        removed = desktop_install.remove()
        if not removed:
            print("Kindred was not in your desktop's menu: nothing to remove.")
        for path in removed:
            print(f"Removed {path}")
        return EXIT_OK
    command = desktop_install.launcher_command()
    files = desktop_install.install(command=command)
    print(f"Kindred is in your desktop's menu; it starts {desktop_install.exec_line(command)}")
    for path in files.all():
        print(f"  wrote {path}")
    print("`kindred install-desktop --remove` takes it out again.")
    return EXIT_OK
