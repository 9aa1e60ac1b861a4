package ui

import (
	"fmt"
	"image"
	"math"
)

// Kind says how a widget behaves and which page element carries it.
type Kind int

// Widget kinds. Buttons, toggles, choices, sliders and fields are real page
// controls (focus, Enter/Space, screen-reader names and touch for free);
// cells and areas are transparent controls over a picture the canvas draws;
// a file button is a page button that opens the browser's file chooser.
const (
	Button Kind = iota // press to act
	Toggle             // on/off; On holds the state
	Choice             // one of a group (Group names it); On marks the chosen one
	Slider             // a value between Min and Max in steps of Step
	Field              // a number typed as text; Text holds what is shown
	Cell               // a grid cell drawn by the canvas: click, and if Editable, type, drag and wheel
	Area               // a region taking pointer events: a map to hover, a pad to draw on
	File               // a button that opens the file chooser for a picture; Max is the largest file in bytes the page reads
)

var kindNames = [...]string{"button", "toggle", "choice", "slider", "field", "cell", "area", "file"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Widget is one control on screen, a plain value describing it. A screen
// builds its widgets anew after each change; the page keeps one element per
// Name and updates it.
type Widget struct {
	Name     string          // stable target name, e.g. "step", "weight-0-2", "lesson-training"
	Kind     Kind            // behaviour
	Rect     image.Rectangle // where, in layout units of the screen that made it
	Label    string          // visible text of a button, or the accessible name of a cell or area
	Tooltip  string          // shown after hovering or on focus; also the accessible description
	Group    string          // Choice: the group; Cell: the grid (e.g. "input")
	On       bool            // Toggle, Choice: pressed
	Disabled bool            // shown, but takes no action
	Editable bool            // Cell: can be typed into, dragged and wheeled
	Text     string          // Field, editable Cell: the value as text to edit
	Value    float64         // Slider
	Min, Max float64         // Slider range; File: Max is the largest file, in bytes, the page reads
	Step     float64         // Slider step
	Error    bool            // Field or Cell: showing a refused entry
}

// Hit returns the index of the last widget whose rectangle contains p, or
// -1. Later widgets are drawn on top, so they win.
func Hit(ws []Widget, p image.Point) int {
	for i := len(ws) - 1; i >= 0; i-- {
		if p.In(ws[i].Rect) {
			return i
		}
	}
	return -1
}

// Find returns the widget with the given name.
func Find(ws []Widget, name string) (Widget, bool) {
	for _, w := range ws {
		if w.Name == name {
			return w, true
		}
	}
	return Widget{}, false
}

// CheckNames reports the first duplicate or empty name, which would make
// the page's targets ambiguous.
func CheckNames(ws []Widget) error {
	seen := make(map[string]bool, len(ws))
	for _, w := range ws {
		if w.Name == "" {
			return fmt.Errorf("a %s widget labelled %q has no name", w.Kind, w.Label)
		}
		if seen[w.Name] {
			return fmt.Errorf("two widgets are named %q", w.Name)
		}
		seen[w.Name] = true
	}
	return nil
}

// SnapSlider rounds v to the slider's nearest step and clamps it to
// [Min, Max]. A NaN becomes Min.
func SnapSlider(v, min, max, step float64) float64 {
	if math.IsNaN(v) || v < min {
		return min
	}
	if v > max {
		return max
	}
	if step > 0 {
		v = min + math.Round((v-min)/step)*step
		if v > max {
			v -= step
		}
	}
	return v
}

// DragSteps converts a vertical drag of dy CSS pixels (down positive, as the
// DOM reports it) into value steps: one step per DragPixels, dragging up
// increases the value.
func DragSteps(dy float64) int {
	return -int(math.Round(dy / DragPixels))
}

// DragPixels is how far a pointer must move vertically to change a dragged
// number by one step.
const DragPixels = 8
