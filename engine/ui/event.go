package ui

// EventType says what a student did.
type EventType int

// The events the page queues. Every DOM event becomes one Event, in order,
// so a press and release inside one frame are both seen (a click is never
// lost, however short, even when the page draws at 10 fps).
const (
	Click        EventType = iota // a button, toggle, choice or cell was activated (pointer, Enter, Space, tap)
	PointerDown                   // pointer pressed on an area or cell; X, Y inside the widget
	PointerMove                   // pointer moved over (or dragging from) an area or cell
	PointerUp                     // pointer released
	PointerLeave                  // pointer left the widget (hover ends)
	Wheel                         // mouse wheel over a widget; Delta in notches, + is up / more
	Commit                        // a field's text was committed (Enter or leaving the field); Text holds it
	Cancel                        // a field's edit was cancelled (Esc)
	Change                        // a slider moved; Value holds its new value
	Key                           // a key pressed outside any text field; Key holds its name
	Focus                         // keyboard focus entered the widget
	Blur                          // keyboard focus left the widget
	FileChosen                    // a file was chosen with a File widget or dropped on the page; Text, Value, Data describe it
)

var eventNames = [...]string{"click", "pointerdown", "pointermove", "pointerup", "pointerleave",
	"wheel", "commit", "cancel", "change", "key", "focus", "blur", "file"}

// String returns the event type's name as the page's automation log writes it.
func (t EventType) String() string {
	if int(t) < len(eventNames) {
		return eventNames[t]
	}
	return "unknown"
}

// ParseEventType returns the event type with the given name.
func ParseEventType(s string) (EventType, bool) {
	for i, n := range eventNames {
		if n == s {
			return EventType(i), true
		}
	}
	return 0, false
}

// Event is one thing a student did, as a plain value.
type Event struct {
	Type   EventType
	Target string  // the Name of the widget it happened to; empty for a global Key
	X, Y   float64 // pointer position in CSS pixels relative to the widget's top-left
	Delta  int     // Wheel: notches, + is up (towards larger values)
	Value  float64 // Change: the slider's new value; FileChosen: the file's size in bytes
	Text   string  // Commit: the text typed; FileChosen: the file's name
	Key    string  // Key: the DOM key name, e.g. "ArrowRight", "PageDown", " ", "3"
	Shift  bool    // Shift was held (Key, Click, Wheel)
	// Data is a FileChosen event's file, its bytes as read from the
	// student's computer. It is nil when the page did not read the file:
	// one larger than the File widget's Max is never read (so Value says
	// how large it is), and the browser may fail to read one. A file
	// dropped on a page with no File widget on screen comes unread with an
	// empty Target.
	Data []byte
}

// WheelNotches turns a DOM wheel deltaY into whole notches, + meaning up.
// Chrome reports ±100 per notch (deltaMode 0, pixels), Firefox ±3 (deltaMode 1,
// lines); a touchpad sends many small pixel deltas. Small deltas still count as
// one notch so that no turn of the wheel is ignored; large ones are capped so a
// fast flick does not jump wildly.
func WheelNotches(deltaY float64, deltaMode int) int {
	if deltaY == 0 {
		return 0
	}
	var n float64
	switch deltaMode {
	case 1: // lines
		n = deltaY / 3
	case 2: // pages
		n = deltaY * 3
	default: // pixels
		n = deltaY / 100
	}
	steps := int(n + 0.5*sign(n))
	if steps == 0 {
		steps = int(sign(n))
	}
	if steps > 5 {
		steps = 5
	} else if steps < -5 {
		steps = -5
	}
	return -steps // DOM deltaY > 0 is down: make up positive
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
