"""The app shell: health, OpenAPI, log-in, the Dutch start page, error shape, headers."""

from __future__ import annotations


def test_health_reports_the_database(client, backend):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend}


def test_openapi_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    assert "/api/households" in spec["paths"]


def test_start_page_needs_login(client):
    response = client.get("/", follow_redirects=False, headers={"accept": "text/html"})
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_login_then_start_page_lists_demo_municipality(client):
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"email": "crisis-team@maastricht.demo", "password": "onderdak-demo", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "Overzicht Maastricht" in response.text
    assert "Wachtkamerwoning" in response.text and "HH-0935-001" in response.text
    assert 'lang="nl"' in response.text


def test_login_without_csrf_is_refused(client):
    response = client.post("/login", data={"email": "crisis-team@maastricht.demo", "password": "onderdak-demo"})
    assert response.status_code == 403


def test_wrong_password_same_answer_as_unknown_user(client):
    a = client.post("/api/auth/token", json={"email": "crisis-team@maastricht.demo", "password": "wrong-password"})
    b = client.post("/api/auth/token", json={"email": "nobody@nowhere.demo", "password": "wrong-password"})
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


def test_english_start_page(client, as_role):
    headers = as_role("crisis_team")
    response = client.get("/?lang=en", headers={**headers, "accept": "text/html"})
    assert response.status_code == 200
    assert 'lang="en"' in response.text and "Overview" in response.text


def test_security_headers(client):
    response = client.get("/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_households_api_needs_a_token(client):
    assert client.get("/api/households").status_code == 401


def test_households_api_is_scoped_to_own_municipality(client, as_role):
    rows = client.get("/api/households", headers=as_role("crisis_team")).json()
    assert rows and all(r["reference"].startswith("HH-0935") for r in rows)
    heerlen = client.get("/api/households", headers=as_role("crisis_team", "heerlen")).json()
    assert all(r["reference"].startswith("HH-0917") for r in heerlen)
    other_id = heerlen[0]["id"]
    assert client.get(f"/api/households/{other_id}", headers=as_role("crisis_team")).status_code == 404


def test_register_household_bad_input_names_the_field(client, as_role):
    body = {
        "display_name": "Huishouden Test",
        "origin_lat": 91,
        "origin_lon": 5.7,
        "members": [{"first_name": "A", "birth_date": "2999-01-01"}],
        "eviction": {"announced_date": "2026-11-20", "eviction_date": "2026-11-10", "bailiff_reference": "DW-1"},
    }
    response = client.post("/api/households", json=body, headers=as_role("case_worker"))
    assert response.status_code == 422
    locs = {tuple(d["loc"]) for d in response.json()["detail"]}
    assert ("body", "origin_lat") in locs
    assert ("body", "members", 0, "birth_date") in locs
    assert ("body", "eviction") in locs


def test_register_household_and_read_it_back(client, as_role):
    body = {
        "display_name": "Huishouden Test",
        "origin_lat": 50.85,
        "origin_lon": 5.7,
        "members": [{"first_name": "A", "birth_date": "1990-01-01"}, {"first_name": "B", "birth_date": "2019-05-05"}],
        "eviction": {"announced_date": "2026-11-20", "eviction_date": "2026-12-03", "bailiff_reference": "DW-1"},
    }
    headers = as_role("case_worker")
    created = client.post("/api/households", json=body, headers=headers)
    assert created.status_code == 201, created.text
    read = client.get(f"/api/households/{created.json()['id']}", headers=headers).json()
    assert [m["first_name"] for m in read["members"]] == ["A", "B"]
    assert read["evictions"][0]["eviction_date"] == "2026-12-03"
