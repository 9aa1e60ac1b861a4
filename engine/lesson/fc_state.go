package lesson

import (
	"fmt"
	"strconv"
	"strings"
)

// FCSettings are the lesson's choices, everything a link needs to show the
// same thing again: the picture, its shift, the row of W written out, the
// filter and its position.
type FCSettings struct {
	Input  string // an FCInput's ID
	DX, DY int    // shift, right and down positive
	Row    int    // 0..9
	Filter int    // 0..5
	I, J   int    // the filter's position on the map, 0..27
}

// Settings returns the lesson's current choices.
func (m *FC) Settings() FCSettings {
	return FCSettings{Input: m.inputs[m.in].ID, DX: m.dx, DY: m.dy, Row: m.row, Filter: m.filter, I: m.pi, J: m.pj}
}

// Encode writes the settings compactly for a link:
// "in=digit-3&shift=2,-1&row=3&filter=0&at=12,12".
func (s FCSettings) Encode() string {
	return fmt.Sprintf("in=%s&shift=%d,%d&row=%d&filter=%d&at=%d,%d", s.Input, s.DX, s.DY, s.Row, s.Filter, s.I, s.J)
}

// DecodeFCSettings reads what Encode wrote, starting from from: a part
// that is missing keeps from's value. It names the first part it cannot
// read. Whether the values fit the lesson is Restore's to check.
func DecodeFCSettings(str string, from FCSettings) (FCSettings, error) {
	s := from
	for _, kv := range strings.Split(str, "&") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return from, fmt.Errorf("%q should read name=value", kv)
		}
		var err error
		want := "a whole number like 3"
		switch k {
		case "in":
			s.Input = v
		case "shift":
			s.DX, s.DY, err = intPair(v)
			want = "two whole numbers like 2,-1"
		case "row":
			s.Row, err = strconv.Atoi(v)
		case "filter":
			s.Filter, err = strconv.Atoi(v)
		case "at":
			s.I, s.J, err = intPair(v)
			want = "two whole numbers like 12,12"
		default:
			return from, fmt.Errorf("%q is not a setting of this lesson (in, shift, row, filter, at)", k)
		}
		if err != nil {
			return from, fmt.Errorf("%s=%q: want %s", k, v, want)
		}
	}
	return s, nil
}

// intPair reads "a,b".
func intPair(v string) (a, b int, err error) {
	x, y, ok := strings.Cut(v, ",")
	if !ok {
		return 0, 0, fmt.Errorf("no comma")
	}
	if a, err = strconv.Atoi(x); err != nil {
		return 0, 0, err
	}
	b, err = strconv.Atoi(y)
	return a, b, err
}

// Restore puts the lesson in the given settings. It checks them all first
// and changes nothing if one does not fit, saying which.
func (m *FC) Restore(s FCSettings) error {
	in := -1
	for i, x := range m.inputs {
		if x.ID == s.Input {
			in = i
		}
	}
	switch {
	case in < 0:
		return fmt.Errorf("there is no picture called %q", s.Input)
	case s.DX < -FCMaxShift || s.DX > FCMaxShift || s.DY < -FCMaxShift || s.DY > FCMaxShift:
		return fmt.Errorf("the picture moves at most %d pixels each way, not (%d, %d)", FCMaxShift, s.DX, s.DY)
	case s.Row < 0 || s.Row >= FCClasses:
		return fmt.Errorf("W has rows 0 to 9, not %d", s.Row)
	case s.Filter < 0 || s.Filter >= FCFilters:
		return fmt.Errorf("there are filters 0 to %d, not %d", FCFilters-1, s.Filter)
	case s.I < 0 || s.I >= FCMapSide || s.J < 0 || s.J >= FCMapSide:
		return fmt.Errorf("the map is 28 x 28: rows and columns 0 to 27, not (%d, %d)", s.I, s.J)
	}
	m.in, m.dx, m.dy, m.row, m.filter, m.pi, m.pj = in, s.DX, s.DY, s.Row, s.Filter, s.I, s.J
	m.stretch.on, m.slide.on = false, false
	m.compute()
	return nil
}
