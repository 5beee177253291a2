from django.conf import settings
from django.http import HttpRequest


def vigie(request: HttpRequest) -> dict:
    return {"VIGIE_DEMO": settings.DEMO}
