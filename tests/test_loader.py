"""Loading: broken files never hide valid ones, and nothing hostile is expanded or crashes."""

import os
import subprocess
import sys

from coopplan.data import loader, yamlio
from tests.helpers import ROOT, valid_action, write_action


def messages(folder):
    return [p.message for p in loader.load(folder).problems]


def test_a_broken_file_does_not_hide_the_valid_ones(mini_data):
    write_action(mini_data, valid_action("t-001"))
    write_action(mini_data, "id: t-002\narea: [unclosed\n", name="t-002")
    write_action(mini_data, valid_action("t-003"))
    dataset = loader.load(mini_data)
    assert [a.id for a in dataset.actions] == ["t-001", "t-003"]
    assert [str(p).rsplit("/", 1)[-1] for p in dataset.problems] == [
        "t-002.yaml:3: YAML syntax: did not find expected ',' or ']'"
    ]


def test_a_byte_order_mark_is_accepted(mini_data):
    write_action(mini_data, b"\xef\xbb\xbf" + yamlio.dumps(valid_action()).encode())
    assert loader.load(mini_data).problems == []


def test_windows_1251_is_refused_with_the_line(mini_data):
    text = yamlio.dumps(valid_action())
    write_action(mini_data, text.encode("cp1251"))
    assert [(p.line, p.message) for p in loader.load(mini_data).problems] == [
        (4, "not UTF-8 text (byte 0xD2); save the file as UTF-8")
    ]


def test_binary_empty_and_list_files(mini_data):
    write_action(mini_data, b"\x89PNG\r\n\x1a\n\x00\x00", name="t-001")
    write_action(mini_data, b"", name="t-002")
    write_action(mini_data, "- a\n- b\n", name="t-003")
    write_action(mini_data, "just text\n", name="t-004")
    assert messages(mini_data) == [
        "binary file, not YAML text",
        "expected a mapping of fields (key: value), the file is empty",
        "expected a mapping of fields (key: value), the file is a list",
        "expected a mapping of fields (key: value), the file is a str",
    ]


def test_aliases_are_refused_not_expanded(mini_data):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    write_action(mini_data, bomb)
    assert messages(mini_data) == ["anchors and aliases (&, *) are not allowed; write the values out"]


def test_python_tags_are_refused(mini_data):
    write_action(mini_data, "id: !!python/object/apply:os.system ['echo pwned']\n")
    assert messages(mini_data) == ["YAML syntax: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]


def test_oversized_files_are_refused_unread(mini_data):
    write_action(mini_data, "id: " + "x" * (yamlio.MAX_FILE_BYTES + 1))
    assert messages(mini_data) == [
        f"file is {yamlio.MAX_FILE_BYTES + 5:,} bytes, more than the {yamlio.MAX_FILE_BYTES:,} allowed"
    ]


def test_absurd_nesting_is_refused_without_crashing(mini_data):
    # Run in a child process: were the guard missing, libyaml would overflow the C stack.
    write_action(mini_data, "[" * 100_000 + "]" * 100_000, name="t-001")
    write_action(mini_data, "- " * 300 + "x\n", name="t-002")
    code = "import sys; from coopplan.data import loader; print([p.message for p in loader.load(sys.argv[1]).problems])"
    out = subprocess.run(
        [sys.executable, "-c", code, str(mini_data)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['nested more than 32 levels deep', 'nested more than 32 levels deep']"


def test_missing_files_and_folders(tmp_path):
    assert [str(p) for p in loader.load(tmp_path / "nowhere").problems] == [
        f"{tmp_path / 'nowhere'}:1: data folder not found"
    ]
    (tmp_path / "empty").mkdir()
    assert [p.message for p in loader.load(tmp_path / "empty").problems] == [
        "file not found",
        "file not found",
        "folder of action files not found",
    ]


def test_yml_files_are_flagged_and_dotfiles_ignored(mini_data):
    (mini_data / "actions" / "t-001.yml").write_text("id: t-001\n")
    (mini_data / "actions" / ".t-002.yaml.tmp").write_text("half a fi")
    (mini_data / "actions" / "README.txt").write_text("notes")
    assert messages(mini_data) == ["action files end in .yaml; rename it"]


def test_symbolic_links_out_of_the_data_folder_are_refused(mini_data, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(yamlio.dumps(valid_action("t-009")))
    os.symlink(outside, mini_data / "actions" / "t-009.yaml")
    assert messages(mini_data) == ["symbolic link to a file outside the data folder; refused"]


def test_unreadable_file_is_reported(mini_data):
    path = write_action(mini_data, valid_action())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything; nothing to check then
            return
        assert messages(mini_data) == ["cannot read the file: Permission denied"]
    finally:
        path.chmod(0o644)


def test_fingerprint_changes_when_a_file_does(mini_data):
    path = write_action(mini_data, valid_action())
    before = loader.fingerprint(mini_data)
    path.write_text(path.read_text(encoding="utf-8") + "progress: 5\n", encoding="utf-8")
    assert loader.fingerprint(mini_data) != before


def test_gc_is_back_on_after_a_load(mini_data):
    import gc

    write_action(mini_data, valid_action())
    loader.load(mini_data)
    assert gc.isenabled()


def test_checking_in_several_processes_finds_what_loading_finds(mini_data):
    for number in range(40):
        write_action(mini_data, valid_action(f"t-{number:03d}"))
    write_action(mini_data, valid_action("t-007", status="lost"))
    write_action(mini_data, "id: [unclosed", name="t-013")
    write_action(mini_data, valid_action("T-020"))  # clashes with t-020 on Windows and macOS
    dataset = loader.load(mini_data)
    expected = (len(dataset.actions), dataset.problems)
    assert len(dataset.problems) == 3
    assert loader.check(mini_data, workers=1) == expected
    assert loader.check(mini_data, workers=3) == expected
