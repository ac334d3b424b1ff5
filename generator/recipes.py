"""Setup recipes: working code for an offering, one template per API shape and language.

A provider declares its API shape once; each shape here has a Python, curl and
(where the provider publishes an SDK) JavaScript template. The offering's model
ID is substituted as *data*, escaped for the language it lands in:

* Python and JavaScript get a string literal made by ``json.dumps`` (valid in
  both languages, so quotes, backslashes and newlines cannot end the string);
* curl gets its JSON body from ``json.dumps`` and the whole body, and every URL,
  single-quoted for the shell, so ``$(…)`` and backticks stay text;
* an ID that goes into a URL path is percent-encoded.

:func:`check_recipe` re-reads what was generated: the Python must parse, every
JSON body in a curl command must parse. A failure is a build error, so no page
ever shows a snippet that nobody could run.
"""

from __future__ import annotations

import ast
import itertools
import json
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from . import schema
from .errors import BuildError
from .highlight import percent_encoded, skeleton

PROMPT = "Hello"


@dataclass(frozen=True)
class Recipe:
    language: str  # "python", "curl", "javascript": also the Pygments lexer name
    label: str  # tab label: exactly what the tab shows
    install: str | None
    code: str


@lru_cache(maxsize=8192)
def lit(value: str) -> str:
    """A string literal valid in Python and JavaScript."""
    return json.dumps(value, ensure_ascii=False)


def sh(value: str) -> str:
    """A single-quoted shell word."""
    return "'" + value.replace("'", "'\\''") + "'"


MODEL_SLOT = "MODELDIRxMODELx7"
_INDENTED: dict[str, str] = {}  # compact JSON -> the same, indented


def body(data: Mapping[str, object]) -> str:
    """A JSON request body, indented, as one shell word.

    Indenting runs json's pure-Python encoder, and every page of a provider
    sends the same body with only its model ID changed; so a body is indented
    once with the ID as a slot, and the ID's own JSON string is put in the slot
    (the bytes are those of indenting the real body, as a string's JSON does
    not depend on where it stands).
    """
    model = data.get("model")
    if isinstance(model, str):
        shape = _indented({**data, "model": MODEL_SLOT})
        if shape.count(MODEL_SLOT) == 1 and MODEL_SLOT not in model:
            return sh(shape.replace(f'"{MODEL_SLOT}"', json.dumps(model, ensure_ascii=False)))
    return sh(_indented(data))


def _indented(data: object) -> str:
    key = json.dumps(data, ensure_ascii=False)  # the C encoder: fast
    found = _INDENTED.get(key)
    if found is None:
        found = json.dumps(data, indent=2, ensure_ascii=False)
        if len(_INDENTED) < 4096:
            _INDENTED[key] = found
    return found


def path_part(value: str) -> str:
    return percent_encoded(value)


def _env(provider: schema.Provider, index: int = 0) -> str:
    names = provider.auth_env
    return names[min(index, len(names) - 1)]


def _chat_messages() -> list[dict[str, str]]:
    return [{"role": "user", "content": PROMPT}]


# --- one function per API shape --------------------------------------------------


def _openai(provider: schema.Provider, model_id: str) -> list[Recipe]:
    base = provider.base_url or "https://api.openai.com/v1"
    key = _env(provider)
    is_openai = base.rstrip("/") == "https://api.openai.com/v1" and key == "OPENAI_API_KEY"
    py_client = (
        "client = OpenAI()  # reads OPENAI_API_KEY"
        if is_openai
        else f"client = OpenAI(base_url={lit(base)}, api_key=os.environ[{lit(key)}])"
    )
    python = "\n".join(
        [
            *([] if is_openai else ["import os", ""]),
            "from openai import OpenAI",
            "",
            py_client,
            "response = client.chat.completions.create(",
            f"    model={lit(model_id)},",
            f'    messages=[{{"role": "user", "content": {lit(PROMPT)}}}],',
            ")",
            "print(response.choices[0].message.content)",
        ]
    )
    curl = "\n".join(
        [
            f"curl {sh(base.rstrip('/') + '/chat/completions')} \\",
            f'  -H "Authorization: Bearer ${key}" \\',
            '  -H "Content-Type: application/json" \\',
            f"  -d {body({'model': model_id, 'messages': _chat_messages()})}",
        ]
    )
    js_client = (
        "const client = new OpenAI(); // reads OPENAI_API_KEY"
        if is_openai
        else f"const client = new OpenAI({{ baseURL: {lit(base)}, apiKey: process.env.{key} }});"
    )
    javascript = "\n".join(
        [
            'import OpenAI from "openai";',
            "",
            js_client,
            "const response = await client.chat.completions.create({",
            f"  model: {lit(model_id)},",
            f'  messages: [{{ role: "user", content: {lit(PROMPT)} }}],',
            "});",
            "console.log(response.choices[0].message.content);",
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install openai", python),
        Recipe("curl", "curl", None, curl),
        Recipe("javascript", "JavaScript", provider.sdk.javascript or "npm install openai", javascript),
    ]


def _anthropic(provider: schema.Provider, model_id: str) -> list[Recipe]:
    key = _env(provider)
    python = "\n".join(
        [
            "import anthropic",
            "",
            f"client = anthropic.Anthropic()  # reads {key}",
            "message = client.messages.create(",
            f"    model={lit(model_id)},",
            "    max_tokens=1024,",
            f'    messages=[{{"role": "user", "content": {lit(PROMPT)}}}],',
            ")",
            "print(message.content[0].text)",
        ]
    )
    curl = "\n".join(
        [
            f"curl {sh((provider.base_url or 'https://api.anthropic.com/v1').rstrip('/') + '/messages')} \\",
            f'  -H "x-api-key: ${key}" \\',
            '  -H "anthropic-version: 2023-06-01" \\',
            '  -H "content-type: application/json" \\',
            f"  -d {body({'model': model_id, 'max_tokens': 1024, 'messages': _chat_messages()})}",
        ]
    )
    javascript = "\n".join(
        [
            'import Anthropic from "@anthropic-ai/sdk";',
            "",
            f"const client = new Anthropic(); // reads {key}",
            "const message = await client.messages.create({",
            f"  model: {lit(model_id)},",
            "  max_tokens: 1024,",
            f'  messages: [{{ role: "user", content: {lit(PROMPT)} }}],',
            "});",
            "console.log(message.content[0].text);",
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install anthropic", python),
        Recipe("curl", "curl", None, curl),
        Recipe(
            "javascript", "JavaScript", provider.sdk.javascript or "npm install @anthropic-ai/sdk", javascript
        ),
    ]


def _google(provider: schema.Provider, model_id: str) -> list[Recipe]:
    key = _env(provider)
    python = "\n".join(
        [
            "from google import genai",
            "",
            f"client = genai.Client()  # reads {key}",
            "response = client.models.generate_content(",
            f"    model={lit(model_id)},",
            f"    contents={lit(PROMPT)},",
            ")",
            "print(response.text)",
        ]
    )
    base = (provider.base_url or "https://generativelanguage.googleapis.com/v1beta").rstrip("/")
    curl = "\n".join(
        [
            f"curl {sh(base + '/models/' + path_part(model_id) + ':generateContent')} \\",
            f'  -H "x-goog-api-key: ${key}" \\',
            '  -H "Content-Type: application/json" \\',
            f"  -d {body({'contents': [{'parts': [{'text': PROMPT}]}]})}",
        ]
    )
    javascript = "\n".join(
        [
            'import { GoogleGenAI } from "@google/genai";',
            "",
            f"const ai = new GoogleGenAI({{}}); // reads {key}",
            "const response = await ai.models.generateContent({",
            f"  model: {lit(model_id)},",
            f"  contents: {lit(PROMPT)},",
            "});",
            "console.log(response.text);",
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install google-genai", python),
        Recipe("curl", "curl", None, curl),
        Recipe(
            "javascript", "JavaScript", provider.sdk.javascript or "npm install @google/genai", javascript
        ),
    ]


VERTEX_BASE = (
    "https://${GOOGLE_CLOUD_LOCATION}-aiplatform.googleapis.com/v1/projects/"
    "${GOOGLE_CLOUD_PROJECT}/locations/${GOOGLE_CLOUD_LOCATION}"
)
VERTEX_PY_IMPORTS = ["import os", "", "import google.auth", "import google.auth.transport.requests"]
VERTEX_PY_AUTH = [
    'credentials, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])',
    "credentials.refresh(google.auth.transport.requests.Request())",
    'location, project = os.environ["GOOGLE_CLOUD_LOCATION"], os.environ["GOOGLE_CLOUD_PROJECT"]',
    'base = f"https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}"',
]


def _vertex(provider: schema.Provider, model_id: str) -> list[Recipe]:
    """Vertex AI serves four request shapes, chosen by the model's publisher.

    Gemini: generateContent on the google publisher; Claude: the Anthropic Messages
    body on rawPredict; Mistral: its chat body on rawPredict; partner models with a
    ``publisher/model`` ID (Llama, gpt-oss, Qwen): the OpenAI-compatible endpoint.
    """
    request: object
    if model_id.startswith("claude"):
        python = "\n".join(
            [
                "import os",
                "",
                "from anthropic import AnthropicVertex",
                "",
                "client = AnthropicVertex(",
                '    project_id=os.environ["GOOGLE_CLOUD_PROJECT"],',
                '    region=os.environ["GOOGLE_CLOUD_LOCATION"],',
                ")",
                "message = client.messages.create(",
                f"    model={lit(model_id)},",
                "    max_tokens=1024,",
                f'    messages=[{{"role": "user", "content": {lit(PROMPT)}}}],',
                ")",
                "print(message.content[0].text)",
            ]
        )
        url_tail = f"/publishers/anthropic/models/{path_part(model_id)}:rawPredict"
        request = {"anthropic_version": "vertex-2023-10-16", "max_tokens": 1024, "messages": _chat_messages()}
        install = "pip install 'anthropic[vertex]'"
    elif "/" in model_id:
        python = "\n".join(
            [
                *VERTEX_PY_IMPORTS,
                "from openai import OpenAI",
                "",
                *VERTEX_PY_AUTH,
                'client = OpenAI(base_url=base + "/endpoints/openapi", api_key=credentials.token)',
                "response = client.chat.completions.create(",
                f"    model={lit(model_id)},",
                f'    messages=[{{"role": "user", "content": {lit(PROMPT)}}}],',
                ")",
                "print(response.choices[0].message.content)",
            ]
        )
        url_tail = "/endpoints/openapi/chat/completions"
        request = {"model": model_id, "messages": _chat_messages()}
        install = "pip install openai google-auth"
    elif model_id.startswith(("mistral", "codestral", "ministral")):
        python = "\n".join(
            [
                *VERTEX_PY_IMPORTS,
                "import requests",
                "",
                *VERTEX_PY_AUTH,
                f'url = base + "/publishers/mistralai/models/" + {lit(path_part(model_id))} + ":rawPredict"',
                "response = requests.post(",
                "    url,",
                '    headers={"Authorization": f"Bearer {credentials.token}"},',
                f'    json={{"model": {lit(model_id)}, "messages": [{{"role": "user", "content": {lit(PROMPT)}}}]}},',
                ")",
                'print(response.json()["choices"][0]["message"]["content"])',
            ]
        )
        url_tail = f"/publishers/mistralai/models/{path_part(model_id)}:rawPredict"
        request = {"model": model_id, "messages": _chat_messages()}
        install = "pip install requests google-auth"
    else:
        python = "\n".join(
            [
                "import os",
                "",
                "from google import genai",
                "",
                "client = genai.Client(",
                "    vertexai=True,",
                '    project=os.environ["GOOGLE_CLOUD_PROJECT"],',
                '    location=os.environ["GOOGLE_CLOUD_LOCATION"],',
                ")",
                "response = client.models.generate_content(",
                f"    model={lit(model_id)},",
                f"    contents={lit(PROMPT)},",
                ")",
                "print(response.text)",
            ]
        )
        url_tail = f"/publishers/google/models/{path_part(model_id)}:generateContent"
        request = {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}
        install = provider.sdk.python or "pip install google-genai"
    curl = "\n".join(
        [
            f'curl "{VERTEX_BASE}"' + sh(url_tail) + " \\",
            '  -H "Authorization: Bearer $(gcloud auth print-access-token)" \\',
            '  -H "Content-Type: application/json" \\',
            f"  -d {body(request)}",
        ]
    )
    return [Recipe("python", "Python", install, python), Recipe("curl", "curl", None, curl)]


def _bedrock(provider: schema.Provider, model_id: str) -> list[Recipe]:
    python = "\n".join(
        [
            "import boto3",
            "",
            "# credentials and region come from the usual AWS sources (env, ~/.aws, role)",
            'client = boto3.client("bedrock-runtime")',
            "response = client.converse(",
            f"    modelId={lit(model_id)},",
            f'    messages=[{{"role": "user", "content": [{{"text": {lit(PROMPT)}}}]}}],',
            ")",
            'print(response["output"]["message"]["content"][0]["text"])',
        ]
    )
    curl = "\n".join(
        [
            'curl "https://bedrock-runtime.${AWS_REGION}.amazonaws.com/model/"'
            + sh(path_part(model_id) + "/converse")
            + " \\",
            '  --aws-sigv4 "aws:amz:${AWS_REGION}:bedrock" \\',
            '  --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \\',
            '  -H "Content-Type: application/json" \\',
            f"  -d {body({'messages': [{'role': 'user', 'content': [{'text': PROMPT}]}]})}",
        ]
    )
    javascript = "\n".join(
        [
            'import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";',
            "",
            "const client = new BedrockRuntimeClient({}); // region and credentials from the environment",
            "const response = await client.send(new ConverseCommand({",
            f"  modelId: {lit(model_id)},",
            f'  messages: [{{ role: "user", content: [{{ text: {lit(PROMPT)} }}] }}],',
            "}));",
            "console.log(response.output.message.content[0].text);",
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install boto3", python),
        Recipe("curl", "curl", None, curl),
        Recipe(
            "javascript",
            "JavaScript",
            provider.sdk.javascript or "npm install @aws-sdk/client-bedrock-runtime",
            javascript,
        ),
    ]


AZURE_API_VERSION = "2024-10-21"


def _azure(provider: schema.Provider, model_id: str) -> list[Recipe]:
    key = _env(provider)
    endpoint = _env(provider, 1) if len(provider.auth_env) > 1 else "AZURE_OPENAI_ENDPOINT"
    python = "\n".join(
        [
            "import os",
            "",
            "from openai import AzureOpenAI",
            "",
            "client = AzureOpenAI(",
            f"    azure_endpoint=os.environ[{lit(endpoint)}],",
            f"    api_key=os.environ[{lit(key)}],",
            f"    api_version={lit(AZURE_API_VERSION)},",
            ")",
            "response = client.chat.completions.create(",
            f"    model={lit(model_id)},  # your deployment name",
            f'    messages=[{{"role": "user", "content": {lit(PROMPT)}}}],',
            ")",
            "print(response.choices[0].message.content)",
        ]
    )
    curl = "\n".join(
        [
            f'curl "${endpoint}/openai/deployments/"'
            + sh(path_part(model_id) + f"/chat/completions?api-version={AZURE_API_VERSION}")
            + " \\",
            f'  -H "api-key: ${key}" \\',
            '  -H "Content-Type: application/json" \\',
            f"  -d {body({'messages': _chat_messages()})}",
        ]
    )
    javascript = "\n".join(
        [
            'import { AzureOpenAI } from "openai";',
            "",
            "const client = new AzureOpenAI({",
            f"  endpoint: process.env.{endpoint},",
            f"  apiKey: process.env.{key},",
            f"  apiVersion: {lit(AZURE_API_VERSION)},",
            f"  deployment: {lit(model_id)},",
            "});",
            "const response = await client.chat.completions.create({",
            f"  model: {lit(model_id)},",
            f'  messages: [{{ role: "user", content: {lit(PROMPT)} }}],',
            "});",
            "console.log(response.choices[0].message.content);",
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install openai", python),
        Recipe("curl", "curl", None, curl),
        Recipe("javascript", "JavaScript", provider.sdk.javascript or "npm install openai", javascript),
    ]


def _replicate(provider: schema.Provider, model_id: str) -> list[Recipe]:
    key = _env(provider)
    python = "\n".join(
        [
            "import replicate",
            "",
            f"# reads {key} from the environment",
            "output = replicate.run(",
            f"    {lit(model_id)},",
            f'    input={{"prompt": {lit(PROMPT)}}},',
            ")",
            "# language models stream their output as a list of text chunks",
            'print("".join(output))',
        ]
    )
    name, _, version = model_id.partition(":")
    if version:
        url = "https://api.replicate.com/v1/predictions"
        request: dict[str, object] = {"version": version, "input": {"prompt": PROMPT}}
    else:
        owner, _, model = name.partition("/")
        url = f"https://api.replicate.com/v1/models/{path_part(owner)}/{path_part(model)}/predictions"
        request = {"input": {"prompt": PROMPT}}
    curl = "\n".join(
        [
            f"curl {sh(url)} \\",
            f'  -H "Authorization: Bearer ${key}" \\',
            '  -H "Content-Type: application/json" \\',
            '  -H "Prefer: wait" \\',
            f"  -d {body(request)}",
        ]
    )
    javascript = "\n".join(
        [
            'import Replicate from "replicate";',
            "",
            f"const replicate = new Replicate(); // reads {key}",
            f"const output = await replicate.run({lit(model_id)}, {{",
            f"  input: {{ prompt: {lit(PROMPT)} }},",
            "});",
            'console.log(output.join(""));',
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install replicate", python),
        Recipe("curl", "curl", None, curl),
        Recipe("javascript", "JavaScript", provider.sdk.javascript or "npm install replicate", javascript),
    ]


def _cohere(provider: schema.Provider, model_id: str) -> list[Recipe]:
    key = _env(provider)
    python = "\n".join(
        [
            "import cohere",
            "",
            f"co = cohere.ClientV2()  # reads {key}",
            "response = co.chat(",
            f"    model={lit(model_id)},",
            f'    messages=[{{"role": "user", "content": {lit(PROMPT)}}}],',
            ")",
            "print(response.message.content[0].text)",
        ]
    )
    curl = "\n".join(
        [
            f"curl {sh((provider.base_url or 'https://api.cohere.com/v2').rstrip('/') + '/chat')} \\",
            f'  -H "Authorization: Bearer ${key}" \\',
            '  -H "Content-Type: application/json" \\',
            f"  -d {body({'model': model_id, 'messages': _chat_messages()})}",
        ]
    )
    javascript = "\n".join(
        [
            'import { CohereClientV2 } from "cohere-ai";',
            "",
            f"const co = new CohereClientV2({{ token: process.env.{key} }});",
            "const response = await co.chat({",
            f"  model: {lit(model_id)},",
            f'  messages: [{{ role: "user", content: {lit(PROMPT)} }}],',
            "});",
            "console.log(response.message.content[0].text);",
        ]
    )
    return [
        Recipe("python", "Python", provider.sdk.python or "pip install cohere", python),
        Recipe("curl", "curl", None, curl),
        Recipe("javascript", "JavaScript", provider.sdk.javascript or "npm install cohere-ai", javascript),
    ]


SHAPES: dict[schema.ApiShape, Callable[[schema.Provider, str], list[Recipe]]] = {
    schema.ApiShape.openai: _openai,
    schema.ApiShape.anthropic: _anthropic,
    schema.ApiShape.google: _google,
    schema.ApiShape.vertex: _vertex,
    schema.ApiShape.bedrock: _bedrock,
    schema.ApiShape.azure: _azure,
    schema.ApiShape.replicate: _replicate,
    schema.ApiShape.cohere: _cohere,
}


_CHECKED: set[tuple[str, str]] = set()  # skeletons (see generator.highlight) that passed check_recipe


def recipes_for(provider: schema.Provider, model_id: str) -> list[Recipe]:
    """Every language tab for this provider and model ID, each checked.

    A snippet whose skeleton (the snippet with the model ID as a placeholder
    inside string literals) already passed is not parsed again: an ID made of
    inert characters inside a string literal cannot change whether it parses.
    """
    recipes = SHAPES[provider.api](provider, model_id)
    for recipe in recipes:
        shape = skeleton(recipe.code, recipe.language, model_id)
        if shape is not None and (recipe.language, shape) in _CHECKED:
            continue
        check_recipe(recipe)
        if shape is not None:
            _CHECKED.add((recipe.language, shape))
    return recipes


def check_recipe(recipe: Recipe) -> None:
    """Raise BuildError unless the snippet parses (Python) or its JSON bodies parse (curl)."""
    if recipe.language == "python":
        try:
            ast.parse(recipe.code)
        except SyntaxError as exc:
            raise BuildError(f"generated Python does not parse: {exc.msg} (line {exc.lineno})") from exc
    elif recipe.language == "curl":
        try:
            words = shlex.split(recipe.code.replace("\\\n", " "))
        except ValueError as exc:
            raise BuildError(f"generated curl command does not parse as shell words: {exc}") from exc
        for flag, value in itertools.pairwise(words):
            if flag == "-d":
                try:
                    json.loads(value)
                except json.JSONDecodeError as exc:
                    raise BuildError(f"generated curl body is not JSON: {exc}") from exc
