package ui

// TooltipDelay is how long, in seconds, the pointer rests on a widget before
// its tooltip shows. Keyboard focus shows it at once.
const TooltipDelay = 0.5

// Tooltips decides which widget's tooltip is showing. Its zero value shows
// none. Feed it every event with Event and advance it with Tick.
type Tooltips struct {
	hover   string  // widget under the pointer
	rest    float64 // seconds the pointer has rested on hover
	focus   string  // widget with keyboard focus
	pressed bool    // a press hides the tooltip until the pointer leaves
}

// Event updates the tooltip state for one event.
func (t *Tooltips) Event(ev Event) {
	switch ev.Type {
	case PointerMove:
		if ev.Target != t.hover {
			t.hover, t.rest, t.pressed = ev.Target, 0, false
		}
	case PointerLeave:
		if ev.Target == t.hover {
			t.hover, t.rest, t.pressed = "", 0, false
		}
	case PointerDown, Click, Wheel, Commit, FileChosen:
		t.pressed = true
	case Focus:
		t.focus = ev.Target
	case Blur:
		if ev.Target == t.focus {
			t.focus = ""
		}
	case Key:
		t.pressed = true
	}
}

// Tick advances time by dt seconds.
func (t *Tooltips) Tick(dt float64) {
	if t.hover != "" {
		t.rest += dt
	}
}

// Wait returns the seconds until the tooltip of the widget under the
// pointer shows, or a negative number when none is about to show.
func (t *Tooltips) Wait() float64 {
	if t.hover == "" || t.pressed || t.rest >= TooltipDelay {
		return -1
	}
	return TooltipDelay - t.rest
}

// Showing returns the name of the widget whose tooltip is shown, or "".
// Hover wins over focus once the pointer has rested long enough.
func (t *Tooltips) Showing() string {
	if t.hover != "" && t.rest >= TooltipDelay && !t.pressed {
		return t.hover
	}
	if !t.pressed {
		return t.focus
	}
	return ""
}

// Hovered returns the widget under the pointer, or "".
func (t *Tooltips) Hovered() string { return t.hover }
