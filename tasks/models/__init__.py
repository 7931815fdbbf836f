from tasks.models.task import CLOSED_STATUSES, OPEN_STATUSES, Task, TaskComment, TaskPriority, TaskStatus

__all__ = ["CLOSED_STATUSES", "OPEN_STATUSES", "Task", "TaskComment", "TaskPriority", "TaskStatus"]
