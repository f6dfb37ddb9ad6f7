"""The signer (Document.signer_user) chosen on the draft form: the issue preview's choices and rule (an active head
of the issuing unit), stored on save, pre-selected on the preview and used when it issues."""

import pytest
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from directives.enums import DocumentStatus
from directives.forms import DocumentForm
from directives.models import Document
from directives.services import document_update, draft_data_from

from .conftest import draft_data

pytestmark = pytest.mark.django_db

REFUSED = "Người ký phải là lãnh đạo đang công tác của đơn vị ban hành."


@pytest.fixture
def draft(tree, make_document):
    return make_document(unit=tree.gialam, by=tree.gialam_officer)


def _edit_post(document, **changes) -> dict:
    """What the edit form posts back for the draft as it is, with changes."""
    initial = {**DocumentForm.initial_from(draft_data_from(document)), **changes}
    initial["issued_on"] = initial["issued_on"].isoformat()
    return {name: value for name, value in initial.items() if value is not None}


def _options(html: str, *users) -> list[bool]:
    return [f'<option value="{user.pk}"' in html for user in users]


def test_draft_form_offers_the_heads_of_the_issuing_unit_only(tree, draft, login):
    client = login(tree.gialam_officer)
    edit = client.get(reverse("directives:document_edit", args=[draft.pk])).content.decode()
    assert _options(edit, tree.gialam_head, tree.gialam_officer, tree.donganh_head) == [True, False, False]
    create = client.get(reverse("directives:document_create") + f"?unit={tree.gialam.code}").content.decode()
    assert _options(create, tree.gialam_head, tree.gialam_officer, tree.donganh_head) == [True, False, False]


def test_signer_chosen_on_the_draft_is_stored_and_preselected_on_the_preview(tree, draft, login):
    client = login(tree.gialam_officer)
    response = client.post(
        reverse("directives:document_edit", args=[draft.pk]), _edit_post(draft, signer_user=tree.gialam_head.pk)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.signer_user, draft.signer_name) == (tree.gialam_head, tree.gialam_head.full_name)
    edit = client.get(reverse("directives:document_edit", args=[draft.pk])).content.decode()
    assert f'<option value="{tree.gialam_head.pk}" selected>' in edit

    head = login(tree.gialam_head)
    preview = head.get(reverse("directives:document_issue_preview", args=[draft.pk])).content.decode()
    assert f'<option value="{tree.gialam_head.pk}" selected>' in preview
    head.post(reverse("directives:document_issue", args=[draft.pk]), {"signer_user": tree.gialam_head.pk})
    draft.refresh_from_db()
    assert (draft.status, draft.signer_user) == (DocumentStatus.ISSUED, tree.gialam_head)


def test_draft_form_refuses_a_head_of_another_unit(tree, draft, login):
    response = login(tree.gialam_officer).post(
        reverse("directives:document_edit", args=[draft.pk]), _edit_post(draft, signer_user=tree.donganh_head.pk)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["signer_user"]
    draft.refresh_from_db()
    assert (draft.signer_user, draft.signer_name) == (None, "Nguyễn Văn A")


def test_draft_service_refuses_a_signer_who_is_not_a_head_of_the_unit(tree, draft):
    for user in (tree.donganh_head, tree.gialam_officer):
        with pytest.raises(PortalError) as refused:
            document_update(document=draft, by=tree.gialam_officer, data=draft_data(signer_user=user))
        assert (str(refused.value), refused.value.field) == (REFUSED, "signer_user")
    assert Document.objects.get(pk=draft.pk).signer_user is None


def test_draft_saved_without_a_signer_clears_the_choice(tree, draft):
    document_update(document=draft, by=tree.gialam_officer, data=draft_data(signer_user=tree.gialam_head))
    assert Document.objects.get(pk=draft.pk).signer_user == tree.gialam_head
    document_update(document=draft, by=tree.gialam_officer, data=draft_data())
    assert Document.objects.get(pk=draft.pk).signer_user is None
