"""Small JSON Schema and OpenAPI pieces the description is made of."""

from __future__ import annotations

import re

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
# Money and measured values are strings, exact to the penny: never a float.
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}


def nullable(schema: dict) -> dict:
    """The schema, or null (where the JSON answers null for unknown or none)."""
    if "enum" in schema:
        return {**schema, "type": [schema["type"], "null"], "enum": [*schema["enum"], None]}
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}  # a $ref, or a choice of shapes


def strict(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these keys (those in `optional` may be left out)."""
    return {
        "type": "object",
        "properties": properties,
        "required": [key for key in properties if key not in optional],
        "additionalProperties": False,
    }


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def choice(choices, blank: bool = False) -> dict:
    """One of a TextChoices' values (or "" where the field may be left blank)."""
    values = list(choices.values)
    return {"type": "string", "enum": [*values, ""] if blank else values}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


BAD_REQUEST = {
    "description": "A query the page cannot answer, with what was wrong in words.",
    "content": json_content(ref("Errors")),
}
PLAIN_BAD_REQUEST = {
    "description": "A format the page does not give (answered in plain text).",
}
NOT_FOUND = {"description": "No such record, or not published."}
MOVED = {"description": "A renamed record: its old address points, for ever, to the new one."}


def operation(summary: str, schema: dict, parameters: list, **responses) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": summary.lower().replace(" ", "-").replace("'", ""),
            "parameters": parameters,
            "responses": {
                "200": {"description": summary, "content": json_content(schema)},
                **responses,
            },
        }
    }


FORMAT_JSON = {
    "name": "format",
    "in": "query",
    "required": True,
    "description": "json for this answer (the page itself is html; lists also give csv).",
    "schema": {"type": "string", "enum": ["json"]},
}


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The record's address name.",
    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
}
NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "The version's number (1 is the first).",
    "schema": {"type": "integer", "minimum": 0},
}


def path_of(route: str) -> str:
    """/interventions/<slug:slug>/ as OpenAPI writes it: /interventions/{slug}/."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
