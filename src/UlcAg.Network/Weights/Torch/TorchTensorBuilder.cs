namespace UlcAg.Network.Weights.Torch;

/// <summary>
/// Materializes a tensor the way <c>torch._utils._rebuild_tensor_v2</c> views a storage: element
/// (i0, i1, ...) is storage value <c>offset + i0*stride0 + i1*stride1 + ...</c>. The result is a
/// contiguous row-major copy, so transposed or sliced tensors come out as PyTorch shows them.
/// </summary>
internal static class TorchTensorBuilder
{
    public static HostTensor Build(TorchStorage storage, ElementType type, long offset, long[] size, long[] stride, string source)
    {
        if (size.Length != stride.Length)
        {
            throw new WeightsException($"{source}: a tensor has size {HostTensor.FormatShape(size)} but {stride.Length} strides.");
        }

        var values = storage.ValuesAs(type);
        var count = HostTensor.ElementCount(size);
        var data = new float[count];
        if (count == 0)
        {
            return new HostTensor(size, data, ElementDecoder.KindOf(type));
        }

        var last = offset;
        for (var d = 0; d < size.Length; d++)
        {
            if (stride[d] < 0)
            {
                throw new WeightsException($"{source}: storage '{storage.Key}' is viewed with a negative stride {stride[d]}.");
            }

            last += (size[d] - 1) * stride[d];
        }

        if (offset < 0 || last >= values.Length)
        {
            throw new WeightsException(
                $"{source}: a tensor of size {HostTensor.FormatShape(size)}, stride {HostTensor.FormatShape(stride)} and offset {offset} reaches element {last} of storage '{storage.Key}', which holds {values.Length} {type} values.");
        }

        if (IsContiguous(size, stride))
        {
            Array.Copy(values, offset, data, 0, count);
        }
        else
        {
            Gather(values, offset, size, stride, data);
        }

        return new HostTensor(size, data, ElementDecoder.KindOf(type));
    }

    private static bool IsContiguous(long[] size, long[] stride)
    {
        long expected = 1;
        for (var d = size.Length - 1; d >= 0; d--)
        {
            // A dimension of extent 1 may carry any stride.
            if (size[d] != 1 && stride[d] != expected)
            {
                return false;
            }

            expected *= size[d];
        }

        return true;
    }

    // Walks the row-major index like an odometer, keeping the storage position in step.
    private static void Gather(float[] values, long offset, long[] size, long[] stride, float[] data)
    {
        var rank = size.Length;
        var index = new long[rank];
        var position = offset;
        for (long i = 0; i < data.LongLength; i++)
        {
            data[i] = values[position];
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < size[d])
                {
                    position += stride[d];
                    break;
                }

                position -= (size[d] - 1) * stride[d];
                index[d] = 0;
            }
        }
    }
}
