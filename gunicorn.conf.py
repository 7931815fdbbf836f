"""gunicorn's settings from the environment; the commands in the Dockerfile and docker-compose.yml name the rest.

forwarded_allow_ips: the reverse proxies whose X-Forwarded-Proto (https) and other forwarded headers gunicorn
believes. gunicorn's own default also trusts ::1; ours is 127.0.0.1 only. FORWARDED_ALLOW_IPS (addresses or
networks, comma-separated, or *) widens it, and Django reads the same variable before it believes
X-Forwarded-For (config/proxies.py): one list of proxies for both (docs/security.md).
"""

import os

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1"
