"""One row per searchable record, kept in step by `interventions.searchindex`.

The text columns hold what the reader sees (`title`, `context`, `body`); `title_terms` and
`terms` hold the same words folded for matching (apostrophes dropped, punctuation turned into
spaces, each figure written also in a canonical form such as "3600000"). SQLite indexes the
folded columns with an FTS5 table and PostgreSQL with a stored `tsvector` (migration
`search_documents`); neither is a Django field.
"""

from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=30)
    model_label = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=500)
    context = models.CharField(max_length=500, blank=True, default="")
    body = models.TextField(blank=True, default="")
    title_terms = models.TextField(blank=True, default="")
    terms = models.TextField(blank=True, default="")
    url = models.CharField(max_length=500)
    published = models.BooleanField(default=False)
    kind_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_id"], name="search_doc_unique")
        ]
        indexes = [models.Index(fields=["published", "kind"], name="search_doc_kind")]

    def __str__(self):
        return f"{self.kind}: {self.title}"
