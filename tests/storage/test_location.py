"""Warnings for unsafe vault folders (network share, removable drive, cloud-sync folder)."""

from __future__ import annotations

from pathlib import Path

from gk_desktop.storage import location


def test_cloud_sync_folders_are_flagged(tmp_path: Path) -> None:
    for name in ("Dropbox", "OneDrive - Stadt Rheine", "Nextcloud", "Google Drive"):
        assert location.CLOUD in location.location_warnings(tmp_path / name / "gk-desktop")
    assert location.location_warnings(tmp_path / "gk-desktop") == []


def test_network_share_by_path_and_by_mount(tmp_path: Path, monkeypatch) -> None:
    assert location.NETWORK in location.location_warnings(Path("//server/share/gk"))
    monkeypatch.setattr(location, "_mount_of", lambda p: ("server:/export", "nfs4"))
    assert location.location_warnings(tmp_path / "x") == [location.NETWORK]
    monkeypatch.setattr(location, "_mount_of", lambda p: ("//srv/akten", "cifs"))
    assert location.location_warnings(tmp_path / "x") == [location.NETWORK]


def test_removable_drive(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(location, "_mount_of", lambda p: ("/dev/sdb1", "ext4"))
    monkeypatch.setattr(location, "_linux_removable", lambda dev: dev == "/dev/sdb1")
    assert location.location_warnings(tmp_path / "x") == [location.REMOVABLE]


def test_local_disk_is_fine(tmp_path: Path) -> None:
    # The test machine's temp folder is on a local file system.
    assert location.NETWORK not in location.location_warnings(tmp_path)
