"""A local stand-in for the OpenAI and Anthropic HTTP APIs: a ThreadingHTTPServer on 127.0.0.1 answering a
scripted list of steps, recording every request. The real SDKs talk to it over HTTP (INTEGRATION.md §7).

    standin.reply(json_body)                   # 200 with that JSON
    standin.reply(status=429, headers={"retry-after": "1"}, body={...})
    standin.reply(lambda request: {...})       # computed from the request's JSON (a fake model)
    standin.reply(delay=3)                     # answers after 3 s (a timeout for a shorter client timeout)
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from orbit.testing import free_port


@dataclass
class Step:
    body: object = None
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None


class StandIn:
    def __init__(self):
        self.steps: list[Step] = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
                request["json"] = json.loads(raw) if raw else None
                with standin.lock:
                    standin.requests.append(request)
                    step = standin.steps.pop(0) if standin.steps else Step({"error": "unscripted"}, status=599)
                if step.delay:
                    time.sleep(step.delay)
                body = step.body(request["json"]) if callable(step.body) else step.body
                data = step.raw if step.raw is not None else json.dumps(body).encode()
                try:
                    self.send_response(step.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in step.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, body=None, *, status=200, headers=None, delay=0.0, raw=None):
        self.steps.append(Step(body, status, headers or {}, delay, raw))
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# --- What a model would answer -------------------------------------------------------------------

PAGE = re.compile(r"\[document (d\d+) \((.*?)\), page (\d+)\]\n(.*?)(?=\n\[document d\d+ |\n<<<DATA-)", re.S)


def pages_in(request_json) -> list[tuple[str, int, str]]:
    """(document ref, page, text) of every page the request carried, from the delimited data block."""
    content = user_text(request_json)
    return [(ref, int(page), body) for ref, _name, page, body in PAGE.findall(content)]


def user_text(request_json) -> str:
    messages = request_json.get("messages", [])
    parts = []
    for message in messages:
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts += [block.get("text", "") for block in content]
    return "\n\n".join(parts)


def extraction_per_page(request_json) -> dict:
    """A well-behaved model: one section per page it was sent, titled by the page's first line, quoting it."""
    sections = []
    for ref, page, body in pages_in(request_json):
        first = body.strip().splitlines()[0] if body.strip() else f"Page {page}"
        sections.append(
            {
                "section_type": "scope",
                "title": first[:60],
                "content": body.strip()[:400],
                "confidence": 0.9,
                "sources": [{"document": ref, "page": page, "quote": first[:50]}],
            }
        )
    return {"title": "Drafted scope", "summary": "What the client asked for.", "sections": sections}


def openai_completion(answer, *, prompt_tokens=1000, completion_tokens=200, refusal=None, content=None) -> dict:
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": 1764400000,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content if content is not None else (json.dumps(answer) if answer is not None else None),
                    "refusal": refusal,
                },
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def anthropic_message(answer, *, tool="record_scope", input_tokens=1000, output_tokens=200, stop_reason="tool_use"):
    content = [] if answer is None else [{"type": "tool_use", "id": "toolu_standin", "name": tool, "input": answer}]
    return {
        "id": "msg_standin",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-6",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    }


def as_openai(fake):
    """A fake model (request json -> answer dict) speaking the Chat Completions format."""
    return lambda request: openai_completion(fake(request))


def as_anthropic(fake, tool="record_scope"):
    return lambda request: anthropic_message(fake(request), tool=tool)
