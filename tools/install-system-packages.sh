#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Kindred needs that are missing; elsewhere, says what to get.
# Usage: tools/install-system-packages.sh run|test
set -euo pipefail

RUN_PACKAGES="espeak-ng libespeak-ng1 libpulse0 ffmpeg libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0"
# desktop-file-utils and appstream validate the menu entry and the AppStream metainfo;
# dbus (dbus-daemon) and libglib2.0-bin (gdbus) give the media-controls test a private bus and a client.
TEST_PACKAGES="pulseaudio pulseaudio-utils xvfb xauth desktop-file-utils appstream dbus libglib2.0-bin"

packages="$RUN_PACKAGES"
if [ "${1:-run}" = "test" ]; then
    packages="$packages $TEST_PACKAGES"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "Kindred: this is not a Debian/Ubuntu system, so nothing was installed automatically."
    echo "Kindred: please install the equivalents of: $packages"
    echo "Kindred: (espeak-ng for the voice on Linux, ffmpeg for sounds, PulseAudio or PipeWire for playback)"
    exit 0
fi

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi

echo "Kindred: installing system packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "Kindred: these packages are missing and neither root nor sudo is available:$missing" >&2
    echo "Kindred: ask an administrator to run: apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
