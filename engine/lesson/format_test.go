package lesson

import (
	"math"
	"testing"

	"convlab/engine/ui"
)

func TestFormatNumber(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	tests := []struct {
		v    float32
		want string
	}{
		{0, "0"},
		{negZero, "0"},
		{1, "1"},
		{-1, "−1"},
		{0.5, "0.5"},
		{-0.5, "−0.5"},
		{0.25, "0.25"},
		{0.125, "0.125"},
		{0.1, "0.1"},
		{0.002, "0.002"},
		{42, "42"},
		{-7, "−7"},
		{1e6, "1000000"},
		{-1e6, "−1000000"},
		{1.0 / 9, "0.111"},
		{-1.0 / 9, "−0.111"},
		{1.0 / 3, "0.333"},
		{2.0 / 3, "0.667"},
		{-2.0 / 3, "−0.667"},
		{1.0 / 25, "0.04"},
		{12.3456, "12.346"},
		{0.9996, "1"},
		{-0.9996, "−1"},
		{0.0004, "4e−4"},
		{-0.0001, "−1e−4"},
		{0.0001234, "1.2e−4"},
		{1e-30, "1e−30"},
		{1e7, "1e7"},
		{-1.234567e12, "−1.235e12"},
		{float32(math.NaN()), "NaN"},
		{float32(math.Inf(1)), "∞"},
		{float32(math.Inf(-1)), "−∞"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.v); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestFormatNumberFloat32Noise checks that sums which float32 cannot hold
// exactly are written as the decimal a person expects.
func TestFormatNumberFloat32Noise(t *testing.T) {
	var three, tenth float32 = 3, 0.1
	var seven float32 = 0.7
	tests := []struct {
		name string
		v    float32
		want string
	}{
		{"0.7·3", seven * three, "2.1"},
		{"ten tenths", tenth + tenth + tenth + tenth + tenth + tenth + tenth + tenth + tenth + tenth, "1"},
		{"nine ninths", func() float32 {
			var s float32
			for range 9 {
				s += 1.0 / 9
			}
			return s
		}(), "1"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.v); got != tt.want {
			t.Errorf("%s: FormatNumber(%v) = %q, want %q", tt.name, tt.v, got, tt.want)
		}
	}
}

// TestFormatNumberRoundTrip checks that every number with at most three
// decimals that a student may type reads back unchanged: parse, format,
// parse again gives the same float32.
func TestFormatNumberRoundTrip(t *testing.T) {
	check := func(v float32) {
		t.Helper()
		s := FormatNumber(v)
		back, err := ui.ParseNumber(s)
		if err != nil {
			t.Fatalf("ParseNumber(FormatNumber(%v) = %q): %v", v, s, err)
		}
		if back != v {
			t.Fatalf("FormatNumber(%v) = %q reads back as %v", v, s, back)
		}
	}
	for k := -20000; k <= 20000; k++ {
		check(float32(float64(k) / 1000))
	}
	for k := -1000000; k <= 1000000; k += 997 {
		check(float32(k))
	}
}
