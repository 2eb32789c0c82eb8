using System.Runtime.InteropServices;

namespace EmbedEngine.Distributed;

/// <summary>
/// Open MPI's libmpi, bound by hand: its entry points as unmanaged function pointers, and its predefined handles,
/// which in Open MPI are the addresses of global objects (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>, …), read
/// from the library's exports. MPI.NET 1.4.0 was tried first: it binds Microsoft MPI (msmpi.dll) and its integer handle
/// constants, and pointed at Open MPI's library it crashes in MPI_Init, so this binding replaces it.
/// </summary>
internal sealed unsafe class OpenMpiLibrary
{
    /// <summary>MPI_THREAD_SERIALIZED: any thread may call MPI, one at a time.</summary>
    public const int ThreadSerialized = 2;

    /// <summary>Open MPI's MPI_IN_PLACE.</summary>
    public static readonly void* InPlace = (void*)1;

    private static readonly string[] Names = ["libmpi.so.40", "libmpi.so"];

    private OpenMpiLibrary(nint library)
    {
        nint Export(string name) => NativeLibrary.GetExport(library, name);

        nint Handle(string name) => NativeLibrary.TryGetExport(library, name, out nint address) ? address
            : throw new DllNotFoundException($"libmpi has no '{name}': EmbedEngine's MPI binding needs Open MPI (apt-get install openmpi-bin libopenmpi-dev).");

        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export("MPI_Allgather");
        Allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)Export("MPI_Allgatherv");
        Iallreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int>)Export("MPI_Iallreduce");
        Iallgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, nint*, int>)Export("MPI_Iallgather");
        Iallgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, nint*, int>)Export("MPI_Iallgatherv");
        Test = (delegate* unmanaged<nint*, int*, MpiStatus*, int>)Export("MPI_Test");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Isend = (delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int>)Export("MPI_Isend");
        Irecv = (delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int>)Export("MPI_Irecv");
        Wait = (delegate* unmanaged<nint*, MpiStatus*, int>)Export("MPI_Wait");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        World = Handle("ompi_mpi_comm_world");
        Float = Handle("ompi_mpi_float");
        Double = Handle("ompi_mpi_double");
        Int = Handle("ompi_mpi_int");
        Byte = Handle("ompi_mpi_byte");
        Long = Handle("ompi_mpi_long");
        Sum = Handle("ompi_mpi_op_sum");
        Max = Handle("ompi_mpi_op_max");
    }

    public delegate* unmanaged<int*, byte***, int, int*, int> InitThread { get; }
    public delegate* unmanaged<int*, int> Initialized { get; }
    public delegate* unmanaged<int> Finalize { get; }
    public delegate* unmanaged<nint, int, int> Abort { get; }
    public delegate* unmanaged<nint, int*, int> CommRank { get; }
    public delegate* unmanaged<nint, int*, int> CommSize { get; }
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }
    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Allgather { get; }
    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> Allgatherv { get; }
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int> Iallreduce { get; }
    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, nint*, int> Iallgather { get; }
    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, nint*, int> Iallgatherv { get; }
    public delegate* unmanaged<nint*, int*, MpiStatus*, int> Test { get; }
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }
    public delegate* unmanaged<nint, int> Barrier { get; }
    public delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int> Isend { get; }
    public delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int> Irecv { get; }
    public delegate* unmanaged<nint*, MpiStatus*, int> Wait { get; }
    public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

    /// <summary>MPI_COMM_WORLD.</summary>
    public nint World { get; }

    /// <summary>MPI_FLOAT, MPI_DOUBLE, MPI_INT, MPI_LONG.</summary>
    public nint Float { get; }

    /// <inheritdoc cref="Float"/>
    public nint Double { get; }

    /// <inheritdoc cref="Float"/>
    public nint Int { get; }

    /// <summary>MPI_BYTE: what point-to-point transfers move, whatever the element type.</summary>
    public nint Byte { get; }

    /// <inheritdoc cref="Float"/>
    public nint Long { get; }

    /// <summary>MPI_SUM, MPI_MAX.</summary>
    public nint Sum { get; }

    /// <inheritdoc cref="Sum"/>
    public nint Max { get; }

    /// <summary>Loads libmpi.</summary>
    /// <exception cref="DllNotFoundException">No Open MPI library here; the message says what to install.</exception>
    public static OpenMpiLibrary Load()
    {
        foreach (string name in Names)
            if (NativeLibrary.TryLoad(name, out nint library)) return new OpenMpiLibrary(library);
        throw new DllNotFoundException($"Open MPI's libmpi ({string.Join(" or ", Names)}) was not found: apt-get install openmpi-bin libopenmpi-dev, and start the ranks with mpirun.");
    }

    /// <summary>Throws with MPI's own text when <paramref name="code"/> is not MPI_SUCCESS.</summary>
    public void Check(int code, string call)
    {
        if (code == 0) return;
        byte* text = stackalloc byte[256];
        int length = 0;
        string message = ErrorString(code, text, &length) == 0 ? Marshal.PtrToStringUTF8((nint)text, length) : $"error {code}";
        throw new MpiException($"{call} failed: {message}");
    }
}

/// <summary>Open MPI's MPI_Status (source, tag, error, then its private fields).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MpiStatus
{
    public int Source;
    public int Tag;
    public int Error;
    private int _cancelled;
    private nuint _count;
}
