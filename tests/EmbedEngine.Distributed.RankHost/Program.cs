using System.Globalization;
using EmbedEngine.Distributed;

// Each rank runs one scenario and prints one line per result, "rank R: name values", for the tests to check.
using MpiWorld world = MpiWorld.Start();
int rank = world.Rank, size = world.Size;
void Print(string name, IEnumerable<double> values) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {rank}: {name} {string.Join(",", values)}"));

switch (args.FirstOrDefault())
{
    case "collectives":
    {
        float[] floats = [rank + 1, 2f * (rank + 1), 0.5f];
        world.SumInPlace(floats);
        Print("sum-float", floats.Select(f => (double)f));
        double[] doubles = [rank + 0.25, -rank];
        world.SumInPlace(doubles);
        Print("sum-double", doubles);
        long[] longs = [rank * 1_000_000_000_000L, 1];
        world.SumInPlace(longs);
        Print("sum-long", longs.Select(l => (double)l));
        long[] maxima = [rank * 7, -rank];
        world.MaxInPlace(maxima);
        Print("max-long", maxima.Select(l => (double)l));
        float[] broadcast = rank == size - 1 ? [42f, 43f] : [0f, 0f];
        world.Broadcast(broadcast, root: size - 1);
        Print("broadcast", broadcast.Select(f => (double)f));
        world.Barrier();
        // A ring: each rank sends its rank-stamped row to the next and receives the previous one's.
        float[] outgoing = [rank, rank + 0.5f, 100 + rank], incoming = new float[3];
        using (MpiRequest receive = world.Receive(incoming.AsMemory(), (rank + size - 1) % size, tag: 7))
        using (MpiRequest send = world.Send(outgoing.AsMemory(), (rank + 1) % size, tag: 7))
        {
            send.Wait();
            receive.Wait();
        }
        Print("ring", incoming.Select(f => (double)f));
        // Lists of different lengths, one of them empty, gathered from a thread other than the main one, and a sum
        // that sleeps while it waits: rank 0 comes late to both.
        int[] gathered = Task.Run(() => world.GatherAll(Enumerable.Range(10 * rank, rank == 0 ? 0 : rank + 2).ToArray())).Result;
        Print("gather", gathered.Select(i => (double)i));
        float[] gatheredFloats = world.GatherAll(Enumerable.Range(0, rank + 1).Select(i => rank + i / 4f).ToArray().AsSpan());
        Print("gather-float", gatheredFloats.Select(f => (double)f));
        if (rank == 0) Thread.Sleep(200);
        int[] gatheredSleeping = world.GatherAll([rank], MpiWaiting.Sleep);
        float[] sleeping = [rank + 1, -rank];
        world.SumInPlace(sleeping, MpiWaiting.Sleep);
        Print("gather-sleep", gatheredSleeping.Select(i => (double)i));
        Print("sum-sleep", sleeping.Select(f => (double)f));
        // A non-blocking sum, tested until it completes, with a transfer of longs beside it.
        float[] started = [2f * rank, 1f];
        using (MpiRequest sum = world.StartSum(started))
            while (!sum.Test()) Thread.Yield();
        Print("sum-started", started.Select(f => (double)f));
        long[] big = [rank == 0 ? 1L << 40 : 0], got = new long[1];
        using (MpiRequest receive = world.Receive(got.AsMemory(), (rank + 1) % size, tag: 8))
        using (world.Send(big.AsMemory(), (rank + size - 1) % size, tag: 8))
            receive.Wait();
        Print("ring-long", got.Select(l => (double)l));
        break;
    }
    case "abort":
        // The last rank fails; the others wait for it at a barrier, which must not hang.
        if (rank == size - 1) world.Abort(3);
        world.Barrier();
        break;
    default:
        Console.Error.WriteLine("scenarios: collectives, abort");
        return 2;
}
return 0;
