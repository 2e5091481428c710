/** What the explorer shows, in words a first-year student follows. */
export function ExplorerIntro({ missingValue }: { missingValue: number }) {
  return (
    <div className="small explorer-intro">
      <p>
        A <strong>histogram</strong> counts how many events have a value in each range (bin) of a quantity. Here every event has a{' '}
        <strong>weight</strong>, the number of real collisions it stands for, so the bars show how many events we expect. They come from the{' '}
        <strong>training set</strong> only, never from the hidden answers of the test set.
      </p>
      <p>
        Stacked by process, the colours show where each process puts its events; normalised by class, signal and background are scaled to the same area so
        you can see which values tell them apart. Some quantities do not exist for every event (no second jet, say): those events carry the value{' '}
        {missingValue} and are counted on their own below the plot instead of being drawn.
      </p>
    </div>
  );
}
