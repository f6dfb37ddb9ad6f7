"""The installable portal: manifest, service worker from the site root, offline page (campaign_portal.views)."""

import json

from django.urls import reverse


def test_manifest_names_the_portal_and_its_icons(client):
    response = client.get(reverse("pwa_manifest"))
    assert (response.status_code, response["Content-Type"]) == (200, "application/manifest+json")
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"], manifest["start_url"], manifest["scope"]) == (
        "Cổng CCHC Công đoàn Hà Nội",
        "CCHC Hà Nội",
        "/me/",
        "/",
    )
    assert (manifest["display"], manifest["theme_color"]) == ("standalone", "#0b4f8a")
    assert [(i["src"], i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]] == [
        ("/static/portal/icons/icon-192.png", "192x192", "any"),
        ("/static/portal/icons/icon-512.png", "512x512", "any"),
        ("/static/portal/icons/icon-maskable-512.png", "512x512", "maskable"),
    ]


def test_icons_are_pngs_of_their_size():
    from django.contrib.staticfiles import finders
    from PIL import Image

    sizes = {}
    for name in ("icon-192", "icon-512", "icon-maskable-512"):
        with Image.open(finders.find(f"portal/icons/{name}.png")) as image:
            sizes[name] = (image.format, image.size)
    assert sizes == {
        "icon-192": ("PNG", (192, 192)),
        "icon-512": ("PNG", (512, 512)),
        "icon-maskable-512": ("PNG", (512, 512)),
    }


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert (response["Content-Type"], response["Service-Worker-Allowed"]) == ("text/javascript; charset=utf-8", "/")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'const OFFLINE_URL = "/offline/";' in body
    assert '"/static/portal/filing-offline.js"' in body
    assert "{%" not in body and "&quot;" not in body


def test_offline_page_says_typed_figures_are_kept_and_names_no_one(tree, login):
    response = login(tree.gl1_officer).get(reverse("offline"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Số liệu bạn đã nhập vào biểu mẫu báo cáo vẫn được giữ trên thiết bị này" in body
    assert tree.gl1_officer.full_name not in body


def test_every_page_links_the_manifest_and_registers_the_worker(client):
    body = client.get(reverse("login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert '<script src="/static/portal/pwa.js" data-worker="/sw.js" data-user=""></script>' in body
