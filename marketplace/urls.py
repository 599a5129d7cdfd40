from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

import marketplace.converters  # noqa: F401 (registers <row_id:...>)
from payments.views import webhook as payments_webhook

urlpatterns = i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("cooperatives/", include("artisans.urls")),
    path("workspace/", include("marketplace.workspace_urls")),
    path("", include("catalog.urls")),
    path("", include("marketplace.urls_site")),
    path("", include("payments.urls")),
)
# The card processor posts its events here: no language prefix, no CSRF (signed instead).
urlpatterns += [path("payments/webhook/", payments_webhook, name="payments_webhook")]
if settings.SOUK_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
