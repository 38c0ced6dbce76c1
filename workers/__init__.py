"""Worker-side code: image ingest and classifiers. Never imports Tornado or photonix_rt."""
