from tasks.models.reminders import (
    CalendarFeed,
    Channel,
    Deadline,
    Notification,
    NotificationStatus,
    ReminderPreference,
)
from tasks.models.task import CLOSED_STATUSES, OPEN_STATUSES, Task, TaskComment, TaskPriority, TaskStatus

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "CalendarFeed",
    "Channel",
    "Deadline",
    "Notification",
    "NotificationStatus",
    "ReminderPreference",
    "Task",
    "TaskComment",
    "TaskPriority",
    "TaskStatus",
]
