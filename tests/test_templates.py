"""Template loading and the placeholder syntax: every problem at file:line:col,
with exact messages."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import REAL_BANK
from inventions import KINDS
from quizgen.bank.generators import GENERATORS, template_slots
from quizgen.bank.kinds import kinds_document
from quizgen.bank.check import Checker
from quizgen.bank.marks import parse_text
from quizgen.bank.templates import (
    TEMPLATE_OPTIONAL,
    TEMPLATE_REQUIRED,
    fill,
    load_templates,
    parse_slots,
    templates_document,
    with_capitals,
)


def _kinds():
    c = Checker("kinds.yaml")
    node, _ = parse_text(textwrap.dedent(KINDS), "kinds.yaml")
    kinds, _ = kinds_document(c, node)
    assert c.diagnostics == []
    return kinds


KINDS_OF_TEST = _kinds()


def problems(text: str) -> list[str]:
    templates, diagnostics = templates_document(textwrap.dedent(text).lstrip("\n"), "t.yaml", KINDS_OF_TEST)
    return [str(d) for d in diagnostics]


def one_template(prompt_line: str, explanation_line: str = "explanation: Fine.", *, type_: str = "mcq",
                 generator: str = "role-holder", params: str = "{kind: person, field: roles}") -> str:
    return (
        "templates:\n"
        "  - name: t\n"
        f"    generator: {generator}\n"
        f"    type: {type_}\n"
        f"    params: {params}\n"
        f"    {prompt_line}\n"
        f"    {explanation_line}\n"
        "    topic: actors\n"
    )


def _slots(generator: str, params: dict, type_: str = "mcq") -> list[str]:
    every = template_slots(generator, type_, params, KINDS_OF_TEST).every
    return list(every) + [s + "_cap" for s in every]


def test_real_templates_load_cleanly():
    templates, diagnostics = load_templates(REAL_BANK)
    assert diagnostics == []
    assert len(templates) >= 7
    assert len({t.name for t in templates}) == len(templates)
    assert {t.generator for t in templates} == set(GENERATORS) - {"entity"}


def test_slots_come_from_the_declared_fields():
    names = _slots("names", {"kind": "invention", "field": "names", "ask": "german"})
    assert {"english", "german", "latin", "names_note", "material", "use", "use_note"} <= set(names)
    assert "russian" not in names  # a language exists only when the bank declares it
    dates = _slots("event-date", {"kind": "event", "field": "date"})
    assert {"date", "date_on", "date_prep", "date_marked", "date_on_marked", "date_note", "place"} <= set(dates)
    roles = _slots("role-holder", {"kind": "person", "field": "roles"})
    assert {"role", "answer", "event_unnamed", "event_date_on_marked", "country"} <= set(roles)


def test_unknown_placeholder_is_reported_where_it_is():
    assert problems(one_template("prompt: Who was {{ rol }} then?")) == [
        "t.yaml:6:21: error: templates[0].prompt: unknown placeholder 'rol'; expected one of "
        + ", ".join(sorted(_slots("role-holder", {"kind": "person", "field": "roles"})))
        + " (did you mean 'role'?)",
    ]


def test_positions_survive_quoting_and_folding():
    text = (
        "templates:\n"
        "  - name: t\n"
        "    generator: role-holder\n"
        "    type: mcq\n"
        "    params: {kind: person, field: roles}\n"
        "    prompt: \"Who was {{ role }}\\u00e9 at {{ evnt }}?\"\n"
        "    explanation: >-\n"
        "      First line {{ answer }} and\n"
        "        more {{ persn }} here.\n"
        "    topic: actors\n"
    )
    found = [str(d).split(": error")[0] for d in templates_document(text, "t.yaml", KINDS_OF_TEST)[1]]
    assert found == ["t.yaml:6:42", "t.yaml:9:14"]


@pytest.mark.parametrize("prompt, message", [
    ("prompt: Who was {{ person.name }}?",
     "t.yaml:6:21: error: templates[0].prompt: expected a placeholder name of lower-case letters, digits and '_' "
     "(no attributes, calls or expressions), found 'person.name'"),
    ("prompt: Who was {{ role() }}?",
     "t.yaml:6:21: error: templates[0].prompt: expected a placeholder name of lower-case letters, digits and '_' "
     "(no attributes, calls or expressions), found 'role()'"),
    ("prompt: Who was {{ }}?",
     "t.yaml:6:21: error: templates[0].prompt: expected a placeholder name of lower-case letters, digits and '_' "
     "(no attributes, calls or expressions), found nothing"),
    ("prompt: Who was {{ role ?",
     "t.yaml:6:21: error: templates[0].prompt: expected '}}' to close this placeholder, found the end of the text"),
    ("prompt: Who was {{ role {{ event }}?",
     "t.yaml:6:21: error: templates[0].prompt: expected '}}' to close this placeholder, found another '{{'"),
    ("prompt: Who was role }} then?",
     "t.yaml:6:26: error: templates[0].prompt: expected '{{' before '}}', found a lone '}}'"),
    ("prompt: Who {% if x %}was{% endif %}?",
     "t.yaml:6:17: error: templates[0].prompt: expected only {{ name }} placeholders, found '{%' "
     "(templates have no statements, comments or code)"),
])
def test_syntax_errors(prompt: str, message: str):
    assert problems(one_template(prompt))[0] == message


def test_answer_slot_is_refused_in_a_prompt():
    assert problems(one_template("prompt: Was {{ name }} {{ role }}?")) == [
        "t.yaml:6:17: error: templates[0].prompt: placeholder 'name' would give the answer away in the prompt; "
        "it is only available in the explanation",
    ]
    # a text the kind says mentions the asked field is hidden too
    assert problems(one_template("prompt: Where was {{ name }}?", generator="attribute",
                                 params="{kind: event, field: place}")) == [
        "t.yaml:6:23: error: templates[0].prompt: placeholder 'name' would give the answer away in the prompt; "
        "it is only available in the explanation",
    ]


def test_answer_slot_depends_on_params():
    text = one_template("prompt: Which is {{ english }} in {{ german }}?", generator="names",
                        params="{kind: invention, field: names, ask: german, given: english}")
    assert problems(text) == [
        "t.yaml:6:39: error: templates[0].prompt: placeholder 'german' would give the answer away in the prompt; "
        "it is only available in the explanation",
    ]


def test_field_errors():
    text = one_template("prompt: Who?", generator="role-holder", type_="ordering").replace(
        "topic: actors", "topic: Actors")
    assert problems(text) == [
        "t.yaml:4:11: error: templates[0].type: expected one of mcq, short_answer, true_false; found 'ordering'",
        "t.yaml:8:12: error: templates[0].topic: expected a topic slug of lower-case letters, digits and '-', "
        "found 'Actors'",
    ]
    assert problems(one_template("prompt: Who?", generator="role-holders")) == [
        "t.yaml:3:16: error: templates[0].generator: expected one of " + ", ".join(GENERATORS)
        + "; found 'role-holders' (did you mean 'role-holder'?)",
    ]


@pytest.mark.parametrize("params, message", [
    ("{kind: persn, field: roles}", "t.yaml:5:20: error: templates[0].params.kind: expected a kind of kinds.yaml "
     "(person, place, event, invention), found 'persn' (did you mean 'person'?)"),
    ("{kind: person, field: name}", "t.yaml:5:35: error: templates[0].params.field: expected a roles field of "
     "kind 'person' (roles), found 'name', which is a name field"),
    ("{kind: person, field: rols}", "t.yaml:5:35: error: templates[0].params.field: expected a roles field of "
     "kind 'person' (roles), found 'rols' (did you mean 'roles'?)"),
    ("{kind: person, field: roles, prefer: contry}", "t.yaml:5:50: error: templates[0].params.prefer: expected "
     "a text or name field of kind 'person' (name, country), found 'contry' (did you mean 'country'?)"),
    ("{field: roles}", "t.yaml:5:13: error: templates[0].params: expected key 'kind', found none"),
])
def test_params_name_declared_kinds_and_fields(params: str, message: str):
    assert problems(one_template("prompt: Who was {{ role }}?", params=params)) == [message]


def test_language_params():
    text = one_template("prompt: Which?", generator="names", params="{kind: invention, field: names, ask: french}")
    assert problems(text) == [
        "t.yaml:5:50: error: templates[0].params.ask: expected a language of field 'names' (english, german, "
        "latin), found 'french'"]


def test_cloze_needs_a_blank_and_params_are_checked():
    text = (
        "templates:\n"
        "  - name: t\n"
        "    generator: chronology\n"
        "    type: ordering\n"
        "    topic: dates\n"
        "    params: {kind: event, field: date, size: 9, colour: red}\n"
        "    prompt: Order them.\n"
        "    explanation: Fine.\n"
        "  - name: u\n"
        "    generator: event-date\n"
        "    type: cloze\n"
        "    topic: dates\n"
        "    params: {kind: event, field: date}\n"
        "    prompt: It was {{ date }}.\n"
        "    explanation: Fine.\n"
    )
    assert [str(d) for d in templates_document(text, "t.yaml", KINDS_OF_TEST)[1]] == [
        "t.yaml:6:49: error: templates[0].params.colour: expected one of the keys kind, field, size, item, describe; "
        "found unknown key 'colour'",
        "t.yaml:6:46: error: templates[0].params.size: expected an integer of at most 6, found 9",
        "t.yaml:14:13: error: templates[1].prompt: expected at least one [[blank]] in a cloze prompt, found none",
    ]


def test_duplicate_names_across_files(tmp_path: Path):
    body = one_template("prompt: Who was {{ role }}?")
    (tmp_path / "kinds.yaml").write_text(textwrap.dedent(KINDS))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.yaml").write_text(body)
    (tmp_path / "templates" / "b.yaml").write_text(body)
    templates, diagnostics = load_templates(tmp_path)
    assert len(templates) == 1
    assert len(diagnostics) == 1
    assert diagnostics[0].message.startswith("expected a unique template name, found 't' again (first defined at ")
    assert diagnostics[0].loc.file.endswith("b.yaml")


def test_yaml_safety_rules_apply():
    text = "templates:\n  - &a {name: t}\n  - *a\n"
    assert problems(text)[0] == ("t.yaml:3:5: error: expected plain data, found alias '*a' "
                                 "(anchors and aliases are not supported)")


def test_parse_slots():
    assert parse_slots("{{ a }} and {{b}} and {{ a }}") == (["a", "b", "a"], [])
    names, found = parse_slots("x {{ a }} }} {{ c", known=["a"])
    assert names == ["a"] and [(p.offset, p.token) for p in found] == [(10, "}}"), (13, "{{")]


def test_fill_inserts_values_once():
    # a value that looks like a placeholder stays text: no second expansion
    assert fill("Hello {{ name }}!", {"name": "{{ secret }}"}) == "Hello {{ secret }}!"
    assert fill("A {{ x }}  {{ y }} B", {"x": "", "y": "y"}) == "A y B"
    assert with_capitals({"a": "the b"})["a_cap"] == "The b"


def test_schema_follows_the_generators():
    schema = json.loads((REAL_BANK / "schema" / "templates.schema.json").read_text(encoding="utf-8"))
    template = schema["$defs"]["template"]
    assert set(template["required"]) == set(TEMPLATE_REQUIRED)
    assert set(template["properties"]) == set(TEMPLATE_REQUIRED + TEMPLATE_OPTIONAL)
    assert template["properties"]["generator"]["enum"] == list(GENERATORS)
    for rule in template["allOf"]:
        spec = GENERATORS[rule["if"]["properties"]["generator"]["const"]]
        assert rule["then"]["properties"]["type"]["enum"] == list(spec.types)
        assert set(rule["then"]["properties"]["params"]["properties"]) == set(spec.params)


def test_what_each_generator_hides():
    def hidden(generator, params, type_="mcq"):
        return template_slots(generator, type_, params, KINDS_OF_TEST).hidden

    roles = hidden("role-holder", {"kind": "person", "field": "roles"})
    assert {"name", "note", "answer", "event_name"} <= roles  # the event's name mentions its office holders
    assert not {"country", "role", "event_unnamed", "event_date_on_marked"} & roles
    assert "statement" in hidden("claim", {"kind": "invention", "field": "claims", "pick": "true"})
    assert "statement" not in hidden("claim", {"kind": "invention", "field": "claims"}, "true_false")
    dates = hidden("event-date", {"kind": "event", "field": "date"})
    assert {"date", "date_on", "date_note", "answer"} <= dates and "name" not in dates
    where = hidden("attribute", {"kind": "event", "field": "place"})
    assert {"place", "name", "note"} <= where and "unplaced" not in where
