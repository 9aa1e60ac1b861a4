package app

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"convlab/engine/lesson"
)

// TestTrainingKeep: the weights a page keeps (Kept) and hands back to a new
// page (Keep) show there as they were: the same examples seen, steps and
// first-layer filters, with a message that says so. Kept's version moves
// only when new weights arrive; what is not a saved value is refused and
// changes nothing; weights of another architecture are refused by the
// session with a message naming why.
func TestTrainingKeep(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	if data, v := p.s.Kept(); data != "" || v != 0 {
		t.Fatalf("a fresh page keeps %d bytes (version %d): the seed's weights need no keeping", len(data), v)
	}
	if _, ok := p.a.Keepers()[lesson.TrainingLesson]; !ok {
		t.Fatalf("the app's keepers %v lack the training lesson", p.a.Keepers())
	}
	p.click("step-once")
	p.settle()
	p.click("step-once")
	p.settle()
	p.click("step-once")
	p.settle()
	data, v := p.s.Kept()
	if data == "" || v == 0 {
		t.Fatal("nothing kept after three steps")
	}
	var sv lesson.TrainSaved
	if err := json.Unmarshal([]byte(data), &sv); err != nil || sv.Models[0].Steps != 3 {
		t.Fatalf("kept %v steps (%v), want 3", sv.Models, err)
	}
	before := p.state()
	if before.Examples != 60 || before.Steps != 3 || before.Filters == nil {
		t.Fatalf("before: %d examples, %d steps; want 60, 3", before.Examples, before.Steps)
	}
	p.tick(30)
	if _, v2 := p.s.Kept(); v2 != v {
		t.Fatalf("the kept version moved from %d to %d with no new weights", v, v2)
	}

	q := newTrainPageKeeping(t, 1280, 800, data)
	q.until("the kept weights show", func() bool { return q.state().Examples == before.Examples })
	if msg, want := q.message(), "Restored your trained weights: 60 examples seen."; msg != want {
		t.Fatalf("message %q, want %q", msg, want)
	}
	q.settle()
	after := q.state()
	if after.Steps != before.Steps || !reflect.DeepEqual(after.Filters, before.Filters) || after.TestAccuracy != before.TestAccuracy {
		t.Fatalf("after: %d steps, test accuracy %v, filters equal %v; before: %d steps, %v",
			after.Steps, after.TestAccuracy, reflect.DeepEqual(after.Filters, before.Filters), before.Steps, before.TestAccuracy)
	}
	if d, _ := q.s.Kept(); d != data {
		t.Fatal("the new page does not keep what it was handed until it trains")
	}
	q.click("step-once")
	q.settle()
	if _, v2 := q.s.Kept(); v2 == 0 {
		t.Fatal("training after a restore keeps nothing new")
	}

	// Refused here: not a saved value.
	kept, ver := q.s.Kept()
	for _, bad := range []string{"", "{", `{"models":"x"}`} {
		if err := q.s.Keep(bad); err == nil {
			t.Errorf("Keep(%q) was taken", bad)
		}
		if d, v := q.s.Kept(); d != kept || v != ver || q.s.restore != nil {
			t.Errorf("a refused Keep(%q) changed what is kept", bad)
		}
	}
	// Refused by the session: another architecture.
	other := sv
	other.Settings.Arch.Filters = 16
	b, _ := json.Marshal(other)
	if err := q.s.Keep(string(b)); err != nil {
		t.Fatal(err)
	}
	q.until("the session answers", func() bool { return strings.Contains(q.message(), "not restored") })
	if want := "another architecture (16 first-layer filters"; !strings.Contains(q.message(), want) {
		t.Fatalf("message %q lacks %q", q.message(), want)
	}
	if q.state().Steps != 4 {
		t.Fatalf("%d steps after a refused restore, want 4", q.state().Steps)
	}
}
