"""Walk a practice scenario from its data: the path « Montrez-moi » would show, screen by screen."""

from __future__ import annotations

from app.content.scenarios import Scenario, demonstration, step


def right_path(scenario: Scenario) -> list[tuple[str, str, dict[str, str]]]:
    """(screen id, right action, values) from the first screen to an end, following each screen's
    demonstration."""
    path, screen_id = [], scenario.first_screen_id
    while not scenario.screens[screen_id].is_end:
        shown = demonstration(scenario, screen_id)
        path.append((screen_id, shown.action_label, shown.values))
        screen_id = step(scenario, screen_id, shown.action_label, shown.values).next_screen_id
        assert len(path) <= len(scenario.screens), "the right actions go round in circles"
    return path


def wrong_action(scenario: Scenario, screen_id: str) -> str | None:
    """An action of the screen that is neither right nor a mistake (it gets the hint), if any."""
    screen = scenario.screens[screen_id]
    planned = {a.label for a in screen.right_actions + screen.mistakes}
    return next((label for label in screen.labels if label not in planned), None)
