from django.urls import path

from .views import contestant, judge, organiser, public

app_name = "contest"

urlpatterns = [
    path("", public.contest_index, name="index"),
    path("my/", contestant.my_entries, name="my_entries"),
    path("judge/", judge.judge_queue, name="judge_queue"),
    path("judge/<int:pk>/", judge.judge_assignment, name="judge_assignment"),
    path("judge/<int:pk>/scan/", judge.judge_scan, name="judge_scan"),
    path("judge/<int:pk>/conflict/", judge.judge_conflict, name="judge_conflict"),
    path("entries/<int:pk>/", contestant.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", contestant.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/scan/", contestant.entry_scan, name="entry_scan"),
    path("entries/<int:pk>/receipt.pdf", contestant.entry_receipt, name="entry_receipt"),
    path("<slug:slug>/", public.contest_public, name="public"),
    path("<slug:slug>/register/", contestant.register, name="register"),
    path("<slug:slug>/verify/<str:uidb64>/<str:token>/", contestant.verify, name="verify"),
    path("<slug:slug>/join/", contestant.join, name="join"),
    path("<slug:slug>/new/", contestant.entry_new, name="entry_new"),
    path("<slug:slug>/autosave/", contestant.entry_autosave, name="autosave"),
    path("<slug:slug>/manage/", organiser.dashboard, name="manage_dashboard"),
    path("<slug:slug>/manage/entries/", organiser.entry_list, name="manage_entries"),
    path("<slug:slug>/manage/entries/<int:pk>/", organiser.entry_manage, name="manage_entry"),
    path("<slug:slug>/manage/entries/<int:pk>/eligibility/", organiser.entry_eligibility, name="entry_eligibility"),
    path("<slug:slug>/manage/entries/<int:pk>/assign/<str:kind>/", organiser.entry_assign, name="entry_assign"),
    path("<slug:slug>/manage/assignments/<int:pk>/reassign/", organiser.assignment_reassign, name="reassign"),
    path("<slug:slug>/manage/duplicates/", organiser.duplicates, name="duplicates"),
    path("<slug:slug>/manage/rounds/<str:kind>/state/", organiser.round_state, name="round_state"),
    path("<slug:slug>/manage/rounds/<str:kind>/assign/", organiser.round_assign, name="round_assign"),
    path("<slug:slug>/manage/rounds/<str:kind>/progress/", organiser.round_progress, name="round_progress"),
    path("<slug:slug>/manage/rounds/<str:kind>/ranking/", organiser.round_ranking, name="round_ranking"),
    path("<slug:slug>/manage/advance/", organiser.advance, name="advance"),
    path("<slug:slug>/manage/final/", organiser.final, name="manage_final"),
    path("<slug:slug>/manage/awards/", organiser.awards, name="awards"),
    path("<slug:slug>/manage/publish/", organiser.publish, name="publish"),
    path("<slug:slug>/manage/certificates/", organiser.certificates, name="certificates"),
    path("<slug:slug>/manage/certificates/<int:pk>.pdf", organiser.certificate_download, name="certificate"),
    path("<slug:slug>/manage/export.xlsx", organiser.export_xlsx, name="export"),
    path("<slug:slug>/manage/award-decision.pdf", organiser.award_decision, name="award_decision"),
]
