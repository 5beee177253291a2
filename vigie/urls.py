from django.urls import include, path

from vigie.api import api
from vigie.core.views import set_language

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("audit/", include("vigie.audit.urls")),
    path("registry/", include("vigie.registry.urls")),
    path("assessments/", include("vigie.assessments.urls")),
    path("screening/", include("vigie.screening.urls")),
    path("measures/", include("vigie.measures.urls")),
    path("", include("vigie.core.urls")),
]
