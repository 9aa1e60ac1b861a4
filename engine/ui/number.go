// Package ui holds the logic and layout of ConvLab's controls, free of any
// renderer: events arrive as plain values, layout is image.Rectangle in one
// unit, and everything here is tested without a GPU.
package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseNumber reads a number a student typed into a field. It accepts
// ordinary decimals ("1", "-0.5", ".25", "2e-3", "+3", "1,5" with a decimal
// comma, surrounding spaces, a Unicode minus sign) and refuses, with a message
// meant to be shown next to the field, anything that is not a finite number
// that fits in a float32: "abc", "", "NaN", "Inf", "1e999".
func ParseNumber(s string) (float32, error) {
	t := strings.TrimSpace(s)
	t = strings.ReplaceAll(t, "−", "-") // U+2212 minus, as the page prints it
	if t == "" {
		return 0, fmt.Errorf("type a number (the field is empty)")
	}
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	lower := strings.ToLower(strings.TrimLeft(t, "+-"))
	if strings.HasPrefix(lower, "nan") || strings.HasPrefix(lower, "inf") {
		return 0, fmt.Errorf("%q is not a number ConvLab can compute with: type a finite number like 0.5", s)
	}
	if strings.HasPrefix(lower, "0x") || strings.Contains(t, "_") {
		return 0, fmt.Errorf("%q is not a decimal number: type something like 1.5 or -2", s)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is too large: keep numbers between −1e6 and 1e6", s)
		}
		return 0, fmt.Errorf("%q is not a number: type something like 1.5 or -2", strings.TrimSpace(s))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	if math.Abs(v) > MaxValue {
		return 0, fmt.Errorf("%s is too large: keep numbers between −1e6 and 1e6", strings.TrimSpace(s))
	}
	return float32(v), nil
}

// MaxValue bounds what a student may type into a weight or input field, so
// that sums of products stay far from float32 overflow.
const MaxValue = 1e6
