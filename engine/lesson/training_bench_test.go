package lesson

import (
	"encoding/json"
	"testing"
	"time"

	"convlab/engine/train"
)

// BenchmarkTrainSessionRound measures one lockstep round of the default
// settings (the reference conv net, the linear classifier and the MLP, a
// minibatch of 20 each, with the rolling test answers), and of the conv
// net alone, and reports training examples per second.
func BenchmarkTrainSessionRound(b *testing.B) {
	for _, c := range []struct {
		name   string
		models TrainModels
	}{
		{"all three", TrainModels{Conv: true, Linear: true, MLP: true}},
		{"conv only", TrainModels{Conv: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := DefaultTrainSettings()
			s.Models = c.models
			sess, err := NewTrainSession(trainTestData(b, 2000, 500), s, time.Now)
			if err != nil {
				b.Fatal(err)
			}
			sess.running = true
			sess.round()
			b.ResetTimer()
			for range b.N {
				sess.round()
			}
			b.ReportMetric(float64(b.N*20)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}

// BenchmarkTrainConvStep is the conv net's trainer alone, for comparison.
func BenchmarkTrainConvStep(b *testing.B) {
	d := trainTestData(b, 2000, 500)
	trainSrc, _, _ := d.TrainSources(TrainMNIST)
	spec, _ := DefaultTrainSettings().Spec(TrainConv)
	net, _ := train.NewNet(spec, 1)
	tr, _ := train.New(net, trainSrc, DefaultTrainSettings().Hyper.Hyper())
	tr.Step()
	b.ResetTimer()
	for range b.N {
		tr.Step()
	}
	b.ReportMetric(float64(b.N*20)/b.Elapsed().Seconds(), "examples/s")
}

// reportBenchSession returns a session after one step and one drawing,
// so that its next report carries every big item.
func reportBenchSession(b *testing.B) *TrainSession {
	b.Helper()
	sess, err := NewTrainSession(trainTestData(b, 2000, 500), DefaultTrainSettings(), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	sess.Do(TrainCommand{Op: TrainOpStep})
	in := TrainInput{C: 1, H: 28, W: 28, Pixels: make([]byte, 784)}
	sess.Do(TrainCommand{Op: TrainOpPredict, Input: &in})
	return sess
}

// BenchmarkTrainReport measures a report with every big item, as JSON.
func BenchmarkTrainReport(b *testing.B) {
	sess := reportBenchSession(b)
	b.ResetTimer()
	for range b.N {
		sess.sent = trainSent{}
		sess.lastBig = time.Time{}
		if _, err := json.Marshal(sess.Report()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainReportDecode measures what the page does with a report
// carrying every big item: decode the JSON and apply it to a view.
func BenchmarkTrainReportDecode(b *testing.B) {
	sess := reportBenchSession(b)
	raw, err := json.Marshal(sess.Report())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	var v TrainView
	for range b.N {
		r := new(TrainReport)
		if err := json.Unmarshal(raw, r); err != nil {
			b.Fatal(err)
		}
		v.Apply(r)
	}
}
