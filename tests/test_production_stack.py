"""The README's production stack end to end: Varnish, gunicorn, Redis."""

import uuid

from tests.stack import demo_behind_varnish, wait_until


def test_the_production_stack_serves_cached_pages_and_a_published_edit_at_once(tmp_path, redis_url):
    """The README's stack end to end: Varnish with the shipped VCL in front of gunicorn (two workers,
    production settings, Redis). Readers get cached pages; an edit an editor publishes from another
    process purges Varnish, and is what the very next request shows."""
    with demo_behind_varnish(
        tmp_path,
        REDIS_URL=f"{redis_url}/0",
        CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}",
    ) as (app, varnish):
        path = "/reviews/dear-comrades/"
        with app.serving():
            wait_until(lambda: varnish.get("/healthz").status == 200)  # Varnish's probe has seen gunicorn
            states = [varnish.get(path).headers.get("X-Cache") for _ in range(10)]
            assert states[0] == "miss" and states[1:] == ["hit"] * 9, states
            response = varnish.get(path)
            assert "Dear Comrades!" in response.body and "(restored)" not in response.body
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "Content-Security-Policy" in response.headers
            app.shell(
                "from blog.models import ReviewPage; page = ReviewPage.objects.get(slug='dear-comrades');"
                "page.title = 'Dear Comrades! (restored)'; page.save_revision().publish()"
            )
            first, *rest = [varnish.get(path) for _ in range(10)]
            assert first.headers["X-Cache"] == "miss" and "Dear Comrades! (restored)" in first.body
            assert all(r.headers["X-Cache"] == "hit" and "Dear Comrades! (restored)" in r.body for r in rest)
