"""Labels shown to people, Vietnamese first, English with ``--lang en``."""

from __future__ import annotations

from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # statuses
    "met": ("Đạt", "Met"),
    "not_met": ("Không đạt", "Not met"),
    "on_track": ("Đúng lộ trình", "On track"),
    "off_track": ("Chậm lộ trình", "Off track"),
    "not_due": ("Chưa đến hạn", "Not due"),
    "no_baseline": ("Thiếu số liệu gốc", "No baseline"),
    "no_data": ("Thiếu số liệu", "No data"),
    "invalid": ("Không hợp lệ", "Invalid"),
    "unknown_indicator": ("Chỉ tiêu lạ", "Unknown indicator"),
    "done": ("Đã hoàn thành", "Done"),
    "done_late": ("Hoàn thành muộn", "Done late"),
    "overdue": ("Quá hạn", "Overdue"),
    "pending": ("Đang thực hiện", "Pending"),
    # outlooks (sdg-build's progress statuses)
    "target_achieved": ("Đã đạt mục tiêu", "Target achieved"),
    "substantial_progress": ("Tiến bộ rõ rệt", "Substantial progress"),
    "moderate_progress": ("Có tiến bộ, cần tăng tốc", "Moderate progress, needs acceleration"),
    "limited_progress": ("Tiến bộ hạn chế", "Limited progress"),
    "deterioration": ("Thụt lùi", "Deterioration"),
    "not_available": ("Chưa đánh giá được", "Not available"),
    # columns and words
    "unit": ("Đơn vị", "Unit"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "code": ("Số hiệu", "Code"),
    "id": ("Mã", "Id"),
    "or": ("hoặc", "or"),
    "year": ("Năm", "Year"),
    "value": ("Giá trị", "Value"),
    "target": ("Mục tiêu", "Target"),
    "status": ("Kết quả", "Status"),
    "gap": ("Chênh lệch", "Gap"),
    "projection": ("Dự báo", "Projection"),
    "outlook": ("Triển vọng", "Outlook"),
    "note": ("Ghi chú", "Note"),
    "user_note": ("Ghi chú của đơn vị", "Unit's note"),
    "plan": ("Kế hoạch", "Plan"),
    "goal": ("Nhóm mục tiêu", "Goal"),
    "milestone": ("Nhiệm vụ", "Task"),
    "owner": ("Cơ quan chủ trì", "Responsible body"),
    "due": ("Hạn", "Due"),
    "done_on": ("Ngày hoàn thành", "Done on"),
    "direction": ("Chiều", "Direction"),
    "higher": ("càng cao càng tốt", "higher is better"),
    "lower": ("càng thấp càng tốt", "lower is better"),
    "every_year": ("hằng năm", "every year"),
    "summary": ("Tổng hợp", "Summary"),
    "results": ("kết quả", "results"),
    "path": ("lộ trình", "path"),
    "expired": ("kế hoạch đã hết hạn", "plan period has ended"),
    "change_vs": ("so với năm", "change vs"),
    "percent": ("%", "%"),
    "per_1000": ("‰", "‰"),
    "per_100000": ("/100.000", "/100,000"),
    "count": ("", ""),
    "other": ("Khác", "Other"),
    "by_unit": ("Theo đơn vị", "By unit"),
    "small_numerator_note": (
        "* tỷ lệ tính từ dưới 20 trường hợp: không ổn định, cần thận trọng khi so sánh",
        "* rate from fewer than 20 events: unstable, compare with care",
    ),
    # The per-unit count of results whose status is in --fail-on: not the word of any one status.
    "few_events": (
        "chỉ {n} trường hợp (dưới 20): tỷ lệ không ổn định",
        "unstable: only {n} events (fewer than 20)",
    ),
    "failed": ("Cần xử lý", "Failing"),
    "failed_means": ("Cần xử lý = số kết quả {statuses}", "Failing = results that are {statuses}"),
    "what_failed": ("Kết quả cần xử lý", "What failed"),
    "nothing_failed": ("Không có kết quả nào cần xử lý.", "Nothing failed."),
    "measure": ("Đơn vị đo", "Unit of measure"),
    "op": ("Điều kiện", "Condition"),
    "target_year": ("Năm mục tiêu", "Target year"),
    "projection_year": ("Năm dự báo", "Projection year"),
    "path_value": ("Lộ trình", "Path"),
    "file": ("Tệp", "File"),
    "line": ("Dòng", "Line"),
    "indicator_id": ("Mã chỉ tiêu", "Indicator id"),
    "status_code": ("Mã kết quả", "Status code"),
    "document": ("Văn bản", "Document"),
    "generated": ("Ngày lập", "Generated"),
    "as_of": ("Tính đến ngày", "As of"),
    "inputs": ("Tệp số liệu", "Data files"),
    "number_of": ("Số lượng", "Count"),
    "target_years": ("năm có mục tiêu", "target year"),
    "legend": ("Chú giải", "Legend"),
    "status_grid": ("Kết quả theo năm", "Status by year"),
    "charts": ("Biểu đồ", "Charts"),
    "details": ("Chi tiết", "Details"),
    "no_values": ("chưa có số liệu", "no figures yet"),
    "shown_of": ("Hiển thị {shown} trên {total}", "Showing {shown} of {total}"),
    "full_list": (
        "danh sách đầy đủ: --format csv hoặc json",
        "the full list: --format csv or json",
    ),
    "per_unit_cases": (
        "{total} kết quả: mỗi đơn vị một test case, đếm các kết quả của đơn vị (quá {cap} kết quả)",
        "{total} results: one test case per unit, counting its results (more than {cap} results)",
    ),
    "units_with": ("đơn vị", "units"),
    "more_units": ("và {n} đơn vị khác", "and {n} more units"),
}


def label(key: str, lang: Lang = "vi") -> str:
    """The label of ``key`` in ``lang``; unknown keys are shown as they are."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]


def note_text(note: str, lang: Lang = "vi") -> str:
    """A result note in ``lang``: kpicheck's own notes by their code, anything else as written."""
    from kpicheck.judge.notes import translate

    return translate(note, lang)


UNIT_SUFFIX = {"percent": "%", "per_1000": "‰", "per_100000": "/100.000", "count": ""}


def number(value: float, lang: Lang, suffix: str = "", signed: bool = False) -> str:
    """Up to two decimals, trailing zeros dropped; a decimal comma in Vietnamese."""
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    if text in ("+0", "-0"):
        text = "0"
    if lang == "vi":
        text = text.replace(".", ",")
    return text + suffix


def whole(n: int, lang: Lang) -> str:
    """A count with thousands separated: ``42.930`` in Vietnamese, ``42,930`` in English."""
    return f"{n:,}".replace(",", "." if lang == "vi" else ",")
