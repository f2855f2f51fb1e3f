"""Property-based: whatever bytes or mutations land on disk, the loader and the CLI never raise."""

import contextlib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopplan import cli
from coopplan.data import loader, yamlio
from tests.helpers import DATA

SHIPPED = sorted((DATA / "actions").glob("*.yaml"))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(folder) -> None:
    dataset = loader.load(folder)
    assert all(p.line >= 1 and p.message for p in dataset.problems)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["validate", str(folder)]) in (0, 1)


yaml_fragments = st.sampled_from(
    [
        "a: 1\n",
        "- x\n",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "&a ",
        "*a ",
        "!!python/name:os.system ",
        "? ",
        "|\n",
        "'",
        '"',
        "id: t-001\n",
        "  ",
        "\t",
        "\n",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "!!binary aGk=\n",
        "\ufeff",
        "#",
    ]
)


@FAST
@given(st.one_of(st.binary(max_size=300), st.lists(yaml_fragments, max_size=30).map(lambda xs: "".join(xs).encode())))
def test_random_bytes_never_raise(mini_data, content):
    (mini_data / "actions" / "t-001.yaml").write_bytes(content)
    check(mini_data)


def mutate(data, draw):
    """Replace, delete or retype one value somewhere in the record."""
    paths = []

    def walk(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))

    walk(data, ())
    path = draw(st.sampled_from(paths[1:]))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    replacement = draw(
        st.one_of(
            st.none(),
            st.integers(-(10**12), 10**12),
            st.floats(allow_nan=True),
            st.text(max_size=20),
            st.booleans(),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
            st.just("DELETE"),
        )
    )
    if replacement == "DELETE":
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    return data


@FAST
@given(st.sampled_from(SHIPPED), st.data())
def test_random_mutations_of_valid_files_never_raise(mini_data, source, data):
    record = yamlio.loads(source.read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        record = mutate(record, data.draw)
    (mini_data / "actions" / source.name).write_text(yamlio.dumps(record), encoding="utf-8")
    check(mini_data)
