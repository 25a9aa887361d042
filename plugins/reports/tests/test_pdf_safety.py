"""PDF rendering never fetches anything: not over the network (a real local HTTP server
counts requests), not from the file system outside the bundled templates."""
import http.server
import threading

import pytest

from plugins.reports.render_pdf import EMPTY_RESOURCE, bundled_only, html_to_pdf


@pytest.fixture
def counting_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_pdf_rendering_fetches_nothing(counting_server):
    url, hits = counting_server
    html = f"""<html><head><link rel="stylesheet" href="{url}/style.css">
    <style>@import url("{url}/import.css"); body {{ background-image: url("{url}/bg.png"); }}</style></head>
    <body><p>before</p><img src="{url}/pixel.png"><img src="/etc/passwd"><img src="file:///etc/hostname">
    <p>after</p></body></html>"""
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert hits == []


@pytest.mark.parametrize("uri", ["http://169.254.169.254/latest/meta-data/", "/etc/passwd", "file:///etc/passwd",
                                 "../../zapdesk/config.py", "report.css", "bundle:scan.html",
                                 "bundle:../render_pdf.py", ""])
def test_link_callback_serves_only_bundled_files(uri):
    assert bundled_only(uri) == EMPTY_RESOURCE


def test_link_callback_serves_the_bundled_stylesheet():
    assert bundled_only("bundle:report.css").endswith("templates/reports/export/report.css")
