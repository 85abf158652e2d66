"""A task's span is flushed when the task ends (orbit.observability.flush), and a collector that never answers
costs the task a bounded wait instead of stalling the worker (the SDK's force_flush ignores its timeout)."""

import socket
import threading
import time

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from orbit.observability import flush
from orbit.tests.receivers import Sink, spans


class Silent:
    """A collector that accepts connections and reads requests but never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connected = threading.Event()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)
            self.connected.set()

    def close(self):
        self.listener.close()
        for conn in self.held:
            conn.close()


def _provider(endpoint: str, *, export_timeout: float = 10) -> TracerProvider:
    provider = TracerProvider(shutdown_on_exit=False)
    # A batch delay no test waits for: only a flush sends the span.
    exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", timeout=export_timeout)
    provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=60_000))
    return provider


def test_a_flush_sends_the_ended_span_before_it_returns():
    with Sink() as sink:
        provider = _provider(sink.url)
        provider.get_tracer("test").start_span("task documents.tasks.process_document").end()
        assert flush(provider, timeout=10) is True
        assert [span["name"] for r in sink.received("/v1/traces") for span in spans(r["body"])] == [
            "task documents.tasks.process_document"
        ]


def test_a_collector_that_never_answers_costs_the_task_the_flush_timeout_only():
    silent = Silent()
    try:
        provider = _provider(silent.url, export_timeout=4)
        provider.get_tracer("test").start_span("task exports.tasks.generate_export").end()
        started = time.monotonic()
        assert flush(provider, timeout=0.5) is False  # the export still waits on the collector (up to 4 s)
        assert time.monotonic() - started < 2
        assert silent.connected.wait(5)  # the flush did try to send
    finally:
        silent.close()  # the waiting export fails at once, and shutdown ends its retries
        provider.shutdown()
