"""Is a folder a safe place for the vault? Local disk only (SECURITY.md §2 "DB location").

Returns warnings, never refuses: the worker decides. Network shares and removable drives break
SQLite's locking and durability (sqlite.org "How to corrupt"); a cloud-sync client copies the
files while they change and keeps old versions outside the vault's control.
"""

from __future__ import annotations

import os
from pathlib import Path

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs", "ceph",
              "glusterfs", "fuse.rclone", "davfs", "fuse.davfs2", "webdav"}
CLOUD_MARKERS = ("dropbox", "onedrive", "nextcloud", "owncloud", "google drive", "googledrive",
                 "icloud", "icloud drive", "seafile", "pcloud", "box sync", "magentacloud", "mega",
                 "tresorit", "sync.com", "proton drive")

NETWORK = "network"
REMOVABLE = "removable"
CLOUD = "cloud"


def _existing_parent(path: Path) -> Path:
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _mount_of(path: Path) -> tuple[str, str] | None:
    """(device, fs type) of the mount holding ``path`` on Linux, from /proc/self/mounts."""
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    best: tuple[int, str, str] | None = None
    target = str(path.resolve())
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        dev, mnt, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
        if target == mnt or target.startswith(mnt.rstrip("/") + "/") or mnt == "/":
            if best is None or len(mnt) > best[0]:
                best = (len(mnt), dev, fstype)
    return (best[1], best[2]) if best else None


def _linux_removable(dev: str) -> bool:
    name = Path(dev).name
    if not dev.startswith("/dev/") or not name:
        return False
    block = Path("/sys/class/block") / name
    try:
        real = block.resolve()
    except OSError:
        return False
    for candidate in (real, real.parent):
        flag = candidate / "removable"
        try:
            if flag.read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def _windows_drive_type(path: Path) -> int | None:  # pragma: no cover - Windows only
    import ctypes

    root = os.path.splitdrive(str(path.absolute()))[0] + "\\"
    try:
        return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None


def location_warnings(folder: Path) -> list[str]:
    """Warnings for ``folder`` (which may not exist yet): NETWORK, REMOVABLE, CLOUD."""
    warnings: list[str] = []
    lowered_parts = [part.lower() for part in folder.absolute().parts]
    if any(marker in part for part in lowered_parts for marker in CLOUD_MARKERS):
        warnings.append(CLOUD)
    text = str(folder)
    if text.startswith("\\\\") or text.startswith("//"):
        warnings.append(NETWORK)
        return warnings
    existing = _existing_parent(folder)
    if os.name == "nt":  # pragma: no cover - Windows only
        kind = _windows_drive_type(existing)
        if kind == 4:  # DRIVE_REMOTE
            warnings.append(NETWORK)
        elif kind == 2:  # DRIVE_REMOVABLE
            warnings.append(REMOVABLE)
        return warnings
    mount = _mount_of(existing)
    if mount:
        dev, fstype = mount
        if fstype in NETWORK_FS or fstype.startswith("fuse.") and "sshfs" in fstype:
            warnings.append(NETWORK)
        elif _linux_removable(dev) or fstype in ("vfat", "exfat") and "/media/" in str(existing):
            warnings.append(REMOVABLE)
    return warnings
