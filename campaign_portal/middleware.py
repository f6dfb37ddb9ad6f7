from django.conf import settings


class VietnameseFirstMiddleware:
    """Vietnamese is the portal's language: the browser's Accept-Language is ignored, so an
    English-language phone still gets Vietnamese; English comes only from the header switch
    (the language cookie, remembered for a year). Must run before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
