"""Validated documents are cached, and the cache never lets a document past different limits."""

from __future__ import annotations

from graphql import GraphQLError

from photonix_rt.config import load_config
from photonix_rt.graphql.bind import build
from photonix_rt.graphql.execute import Prepared, prepare

SCHEMA = build()
PAGE = """query($l: ID!) { photos(libraryId: $l, first: 100) {
  edges { node { id takenAt tags { name type } } } } }"""
INTROSPECTION = "{ __schema { queryType { name } } }"


def test_the_same_document_is_parsed_and_validated_once() -> None:
    config = load_config({})
    first = prepare(SCHEMA, PAGE, None, config, signed_in=True)
    again = prepare(SCHEMA, PAGE, None, config, signed_in=True)
    assert isinstance(first, Prepared)
    assert again is first


def test_a_document_accepted_for_one_caller_is_refused_where_the_limits_differ() -> None:
    config = load_config({})
    assert isinstance(prepare(SCHEMA, INTROSPECTION, None, config, signed_in=True), Prepared)
    refused = prepare(SCHEMA, INTROSPECTION, None, config, signed_in=False)
    assert isinstance(refused, list) and refused
    assert all(isinstance(error, GraphQLError) for error in refused)

    strict = load_config({"PHOTONIX_MAX_QUERY_DEPTH": "2"})
    assert isinstance(prepare(SCHEMA, PAGE, None, config, signed_in=True), Prepared)
    too_deep = prepare(SCHEMA, PAGE, None, strict, signed_in=True)
    assert isinstance(too_deep, list) and "levels deep" in too_deep[0].message


def test_refusals_are_fresh_lists_each_time() -> None:
    config = load_config({})
    first = prepare(SCHEMA, "{ nosuchfield }", None, config, signed_in=True)
    assert isinstance(first, list)
    first.clear()  # a caller changing its list must not change the next caller's answer
    again = prepare(SCHEMA, "{ nosuchfield }", None, config, signed_in=True)
    assert isinstance(again, list) and again
