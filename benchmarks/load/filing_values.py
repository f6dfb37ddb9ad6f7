"""What a filing officer types into the report form, in the load test and in profile_pages.py."""

FILING_VALUES = {
    "v_media_sessions": "1",
    "v_media_reached": "30",
    "v_meeting_sessions": "2",
    "v_meeting_reached": "40",
    "v_visual_items": "3",
    "v_visual_reached": "20",
    "v_interactive_sessions": "1",
    "v_interactive_reached": "15",
    "v_documents_disseminated": "2",
    "v_online_services_members": "5",
    "v_good_models": "1",
    "v_feedback_received": "4",
    "v_feedback_answered": "3",
    "v_contest_entries": "1",
    "v_coverage_percent": "80",
    "v_has_plan": "1",
    "v_main_channel": "Hội nghị, hội họp",
    "v_results_text": "Đã phổ biến Kế hoạch 33/KH-UBND và Công văn 153/LĐLĐ tới đoàn viên.",
}
