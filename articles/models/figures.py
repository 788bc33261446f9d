"""Figures kept as data: how many published articles carry each tag per day.

The entities' counterpart is ``companies.models.DailyMentions``; both are kept
up to date by ``articles/figures/`` on every write.
"""

from django.db import models

from .tags import Tag


class DailyTagUses(models.Model):
    """How many published articles carry one tag on one day (site time zone),
    scheduled ones included (readers take off those not out yet)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, verbose_name="тег")
    day = models.DateField("день")
    count = models.PositiveIntegerField("публикаций")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "day"], name="unique_daily_tag_uses")]
        # The home page's popular tags read one window of days.
        indexes = [models.Index(fields=["day", "tag"], name="dailytaguses_day_tag")]
        verbose_name = "использование тега за день"
        verbose_name_plural = "использование тегов по дням"

    def __str__(self):
        return f"{self.tag_id} {self.day}: {self.count}"
