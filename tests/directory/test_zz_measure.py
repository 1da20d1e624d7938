import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, add_position, make_member, hub

pytestmark = pytest.mark.django_db

def count(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), [q["sql"][:150] for q in ctx.captured_queries]

def test_measure():
    orgs = [OrganizationFactory(sectors=["fintech", "software"]) for _ in range(3)]
    for o in orgs:
        add_position(PersonFactory(), o)
    member = UserFactory(home_hub=hub("medellin"))
    mc = Client(); mc.force_login(member)
    for name, c in (("anon", Client()), ("member", mc)):
        for url in ["/directory/", "/directory/?hub=medellin&sector=fintech", "/directory/?q=agro", "/directory/people/", "/directory/people/?q=fundadora", f"/directory/organizations/{orgs[0].slug}/", f"/directory/people/{orgs[0].positions.first().person.slug}/", "/"]:
            n, qs = count(c, url)
            print(name, url, n)
            if url == "/directory/" and name == "member":
                print("\n".join(qs))
