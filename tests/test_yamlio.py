from newsdossier.errors import Problems
from newsdossier.yamlio import LList, LMap, load_yaml


def load(text):
    problems = Problems()
    return load_yaml(text, "content/x.yaml", problems), problems


def test_positions_of_keys_values_and_items():
    data, problems = load("a: 1\nlist:\n  - x\n  - {b: y}\n")
    assert not problems
    assert isinstance(data, LMap) and isinstance(data["list"], LList)
    assert (data.kpos["list"].line, data.kpos["list"].col) == (2, 1)
    assert (data.vpos["a"].line, data.vpos["a"].col) == (1, 4)
    assert [(p.line, p.col) for p in data["list"].ipos] == [(3, 5), (4, 5)]
    assert data["list"][1].vpos["b"].col == 9  # "  - {b: y}": y stands in column 9


def test_dates_stay_text_and_only_true_false_are_booleans():
    data, _ = load("d: 2024-10-18\nno: no\nyes: on\nt: true\n")
    assert data == {"d": "2024-10-18", "no": "no", "yes": "on", "t": True}


def test_duplicate_keys_are_errors_with_both_positions():
    _, problems = load("title: a\nlead: b\ntitle: c\n")
    [p] = problems.all()
    assert p.format().startswith("content/x.yaml:3:1: error: duplicate key 'title' (first at line 1)")


def test_malformed_yaml_reports_line_and_column():
    _, problems = load("title: a\nlead: [unclosed\nother: x\n")
    [p] = problems.all()
    assert p.pos.path == "content/x.yaml" and p.pos.line >= 2
    assert "malformed YAML" in p.message and p.hint


def test_tabs_get_a_specific_hint():
    _, problems = load("a:\n\t- b\n")
    [p] = problems.all()
    assert "tabs" in p.hint


def test_billion_laughs_is_refused():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    data, problems = load("\n".join(lines) + "\n")
    assert data is None
    [p] = problems.all()
    assert "anchors and aliases expand" in p.message


def test_recursive_alias_is_refused():
    data, problems = load("a: &a\n  b: *a\n")
    assert data is None
    assert "recursive" in problems.all()[0].message


def test_python_and_other_tags_are_refused_with_position():
    for text in ("a: !!python/object/apply:os.system ['echo hi']\n", "a: !!binary aGk=\n", "a: !custom x\n"):
        _, problems = load(text)
        [p] = problems.all()
        assert p.format().startswith("content/x.yaml:1:4: error: unsupported YAML tag"), p.format()


def test_multiple_documents_are_refused():
    _, problems = load("a: 1\n---\nb: 2\n")
    assert "one document per file" in problems.all()[0].hint
