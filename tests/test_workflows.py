"""The GitHub Actions workflows run commands that exist, in the order the contributor guide describes."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml
from conftest import REPO

from generator.cli import _parser
from generator.diff import MARKER

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def runs(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]


def modeldir_commands(workflow: dict[str, Any]) -> list[list[str]]:
    commands = []
    for script in runs(workflow):
        for line in script.splitlines():
            if line.strip().startswith("modeldir "):
                commands.append(shlex.split(re.sub(r"\$\w+", "x", line))[1:])
    return commands


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_modeldir_command_in_a_workflow_parses(name: str) -> None:
    for args in modeldir_commands(load(name)):
        _parser().parse_args(args)  # exits (SystemExit) on an unknown command or option


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_actions_are_pinned_to_a_major_version(name: str) -> None:
    for action in uses(load(name)):
        assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", action), action


def test_pull_requests_are_checked_tested_built_and_diffed() -> None:
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    commands = [args[0] for args in modeldir_commands(workflow)]
    assert commands == ["check", "schema", "build", "diff"]
    assert ["check", "--format", "github"] in modeldir_commands(workflow)
    assert "bash .ci/run" in runs(workflow)
    assert workflow["permissions"] == {"contents": "read"}  # no write access for pull-request code


def test_the_comment_is_posted_without_running_pull_request_code() -> None:
    workflow = load("pull-request-comment.yml")
    assert workflow[True]["workflow_run"]["workflows"] == [load("pull-request.yml")["name"]]
    assert not any(action.startswith("actions/checkout") for action in uses(workflow))
    script = workflow["jobs"]["comment"]["steps"][-1]["with"]["script"]
    assert MARKER in script  # finds its own earlier comment and updates it


def test_main_is_built_and_published_on_pages() -> None:
    workflow = load("deploy.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert [args[0] for args in modeldir_commands(workflow)] == ["check", "build"]
    assert "actions/deploy-pages@v4" in uses(workflow)
    assert workflow["permissions"]["pages"] == "write"
