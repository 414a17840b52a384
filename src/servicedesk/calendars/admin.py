from django.contrib import admin

from servicedesk.calendars.models import Calendar, CalendarDay


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "timezone", "updated_at")
    inlines = [CalendarDayInline]
