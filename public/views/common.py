"""What the public app's view modules share: paging and showing a service's refusal on a form."""

from django.core.paginator import Paginator

from campaign_portal.exceptions import PortalError

NEWS_PER_PAGE = 12


def page_of(request, queryset, per_page: int = NEWS_PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def form_error(form, error: PortalError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)
