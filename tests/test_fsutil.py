import os
import stat

import pytest

from tolmach.fsutil import atomic_path, atomic_write_text


def test_atomic_write_replaces_in_one_step_and_keeps_permissions(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_failure_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_named_pipe_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write_text(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symbolic_link_is_written_through_and_kept(tmp_path):
    real = tmp_path / "real.po"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.po"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def _another_group() -> int | None:
    """A group this user may give a file that is not its own group: any, for root."""
    if os.geteuid() == 0:
        return 65534
    return next((g for g in os.getgroups() if g != os.getegid()), None)


def test_a_rewrite_keeps_the_group_a_team_shares_the_file_through(tmp_path):
    """A catalog of the group `news`, rewritten by a member: it became the writer's group, and the
    other members lost it."""
    group = _another_group()
    if group is None:
        pytest.skip("this user is in no other group")
    target = tmp_path / "a.po"
    target.write_text("old", encoding="utf-8")
    os.chown(target, -1, group)
    os.chmod(target, 0o660)
    atomic_write_text(target, "new")
    st = target.stat()
    assert (target.read_text(encoding="utf-8"), st.st_gid, stat.S_IMODE(st.st_mode)) == ("new", group, 0o660)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_a_rewrite_by_root_keeps_the_owner(tmp_path):
    target = tmp_path / "a.po"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 65534, 65534)
    os.chmod(target, 0o640)
    atomic_write_text(target, "new")
    st = target.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)


def test_a_second_hard_link_keeps_the_old_version(tmp_path):
    """The file is replaced, never written in place (as an editor's safe save does)."""
    target, other = tmp_path / "a.po", tmp_path / "backup.po"
    target.write_text("old", encoding="utf-8")
    os.link(target, other)
    atomic_write_text(target, "new")
    assert (target.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")) == ("new", "old")
    assert target.stat().st_nlink == other.stat().st_nlink == 1
