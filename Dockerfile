# Pas à pas: a slim image that runs as a non-root user under gunicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    APP_ENV=production INSTANCE_PATH=/data

WORKDIR /srv/pasapas
COPY pyproject.toml README.md config.py gunicorn.conf.py ./
COPY app ./app
# PYTHONDONTWRITEBYTECODE: the app's own modules would be compiled again at every start (0.25 s).
RUN pip install ".[deploy]" && python -m compileall -q app config.py
COPY lessons ./lessons
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations

RUN useradd --system --uid 10001 --home-dir /srv/pasapas pasapas \
    && mkdir -p /data && chown pasapas /data
USER pasapas
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "flask --app app db upgrade && exec gunicorn -c gunicorn.conf.py"]
