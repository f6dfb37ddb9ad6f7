"""The server half of "poll until done" (templates/portal/_poll.html): htmx stops polling on a 286."""

from django.http import HttpResponse

HTMX_STOP_POLLING = 286


def poll_response(request, response: HttpResponse, *, done: bool) -> HttpResponse:
    """The answer to a poll: once the work is done, the last fragment and the signal to stop."""
    if getattr(request, "htmx", False) and done:
        response.status_code = HTMX_STOP_POLLING
    return response
