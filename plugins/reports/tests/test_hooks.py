"""The reports plugin's hooks: formats registration (built-ins plus a third party's)."""
from zapdesk.hookspecs import hookimpl

from plugins.reports.formats import ReportFormat, all_formats, file_name, get_format


class CsvFormatPlugin:
    """A third-party plugin adding a format, and trying to shadow a built-in name."""

    @hookimpl
    def register_report_formats(self):
        return [ReportFormat("csv", "CSV", "text/csv", "csv", lambda data: b"rule,risk\n", order=90),
                ReportFormat("pdf", "Not the real PDF", "text/plain", "txt", lambda data: b"")]


def test_hook_register_report_formats(app_ctx):
    names = list(all_formats("scan"))
    assert names == ["html", "pdf", "json", "sarif", "zap-json", "zap-xml"]
    assert list(all_formats("target")) == ["evolution-html", "evolution-pdf"]
    pm = app_ctx.extensions["zapdesk_plugins"]
    pm.register(CsvFormatPlugin(), name="csv-format")
    try:
        formats = all_formats("scan")
        assert list(formats)[-1] == "csv" and formats["csv"].render(None) == b"rule,risk\n"
        assert get_format("pdf").mimetype == "application/pdf", "built-ins keep their names"
    finally:
        pm.unregister(name="csv-format")
    assert get_format("csv") is None


def test_download_file_names():
    assert file_name(get_format_or_fail("pdf"), "scan", 7) == "zapdesk-scan-7.pdf"
    assert file_name(get_format_or_fail("zap-xml"), "scan", 7) == "zapdesk-scan-7-zap-xml.xml"
    assert file_name(get_format_or_fail("sarif"), "scan", 7) == "zapdesk-scan-7.sarif"


def get_format_or_fail(name):
    from plugins.reports.formats import BUILTIN

    return next(f for f in BUILTIN if f.name == name)
