package app

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestConv2DJSON(t *testing.T) {
	// A 1x3x3 input, one 1x3x3 filter of ones with bias 1 and padding 1:
	// each output is 1 + the sum of the input's 3x3 neighbourhood.
	//   input        output
	//   1 2 3      13 22 17
	//   4 5 6      28 46 34
	//   7 8 9      25 40 29
	in := `[[[[1,2,3],[4,5,6],[7,8,9]]], [[[[1,1,1],[1,1,1],[1,1,1]]]], [1], {"padding":1}]`
	out, err := Conv2DJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got [][][]float32
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{13, 22, 17}, {28, 46, 34}, {25, 40, 29}}
	for i := range want {
		for j := range want[i] {
			if got[0][i][j] != want[i][j] {
				t.Errorf("out[0][%d][%d] = %v, want %v", i, j, got[0][i][j], want[i][j])
			}
		}
	}
	// Stride 2, no padding, no bias on a 1x5x5 input of ones: 2x2 of 9.
	ones := `[[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1],[1,1,1,1,1]]`
	out, err = Conv2DJSON([]byte(`[[` + ones + `], [[[[1,1,1],[1,1,1],[1,1,1]]]], null, {"stride":2}]`))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `[[[9,9],[9,9]]]` {
		t.Errorf("stride 2 = %s", out)
	}
}

func TestConv2DJSONErrors(t *testing.T) {
	cases := []struct{ in, msg string }{
		{`nope`, "not a JSON array"},
		{`[1]`, "want (x, w, b"},
		{`[[[[1,2],[3]]], [[[[1]]]]]`, "row 1 has 1 values"},
		{`[[[[1,2,3],[4,5,6]]], [[[[1,1],[1,1]]]], null, {"stride":2}]`, "not a whole number"},
		{`[[[[1]]], [[[[1]],[[1]]]]]`, "channels"},
		{`[[], [[[[1]]]]]`, "empty"},
	}
	for _, c := range cases {
		_, err := Conv2DJSON([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Conv2DJSON(%s) error = %v, want it to mention %q", c.in, err, c.msg)
		}
	}
}
