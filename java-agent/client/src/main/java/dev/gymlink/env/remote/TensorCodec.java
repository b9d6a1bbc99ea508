package dev.gymlink.env.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.gymlink.env.DType;
import dev.gymlink.env.RgbFrame;
import dev.gymlink.env.PythonRepr;
import dev.gymlink.env.Tensor;
import dev.gymlink.proto.v1.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors on the wire: dtypes, shapes and the packed little-endian element bytes of
 * {@code gymlink.v1.Tensor}, and RGB frames (uint8 tensors). Decoding throws
 * {@link IllegalArgumentException} for malformed server data.
 */
final class TensorCodec {

    private TensorCodec() {}

    static DType fromProto(dev.gymlink.proto.v1.DType dtype) {
        return switch (dtype) {
            case DTYPE_FLOAT32 -> DType.FLOAT32;
            case DTYPE_FLOAT64 -> DType.FLOAT64;
            case DTYPE_INT8 -> DType.INT8;
            case DTYPE_INT16 -> DType.INT16;
            case DTYPE_INT32 -> DType.INT32;
            case DTYPE_INT64 -> DType.INT64;
            case DTYPE_UINT8 -> DType.UINT8;
            case DTYPE_UINT16 -> DType.UINT16;
            case DTYPE_UINT32 -> DType.UINT32;
            case DTYPE_UINT64 -> DType.UINT64;
            case DTYPE_BOOL -> DType.BOOL;
            case DTYPE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("tensor dtype " + dtype + " is not a valid dtype");
        };
    }

    static dev.gymlink.proto.v1.DType toProto(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> dev.gymlink.proto.v1.DType.DTYPE_FLOAT32;
            case FLOAT64 -> dev.gymlink.proto.v1.DType.DTYPE_FLOAT64;
            case INT8 -> dev.gymlink.proto.v1.DType.DTYPE_INT8;
            case INT16 -> dev.gymlink.proto.v1.DType.DTYPE_INT16;
            case INT32 -> dev.gymlink.proto.v1.DType.DTYPE_INT32;
            case INT64 -> dev.gymlink.proto.v1.DType.DTYPE_INT64;
            case UINT8 -> dev.gymlink.proto.v1.DType.DTYPE_UINT8;
            case UINT16 -> dev.gymlink.proto.v1.DType.DTYPE_UINT16;
            case UINT32 -> dev.gymlink.proto.v1.DType.DTYPE_UINT32;
            case UINT64 -> dev.gymlink.proto.v1.DType.DTYPE_UINT64;
            case BOOL -> dev.gymlink.proto.v1.DType.DTYPE_BOOL;
        };
    }

    static dev.gymlink.proto.v1.Tensor toProto(Tensor tensor) {
        return encodeTensor(tensor.dtype(), tensor.shape(), tensor.data());
    }

    /** Packs elements little-endian in the dtype's width, as the wire contract says. */
    static dev.gymlink.proto.v1.Tensor encodeTensor(DType dtype, int[] shape, double[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * dtype.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : data) {
            switch (dtype) {
                case FLOAT32 -> bytes.putFloat((float) x);
                case FLOAT64 -> bytes.putDouble(x);
                case INT8, UINT8, BOOL -> bytes.put((byte) (long) x);
                case INT16, UINT16 -> bytes.putShort((short) (long) x);
                case INT32, UINT32 -> bytes.putInt((int) (long) x);
                case INT64 -> bytes.putLong((long) x);
                case UINT64 -> bytes.putLong(x >= 0x1p63 ? (long) (x - 0x1p64) : (long) x);
            }
        }
        dev.gymlink.proto.v1.Tensor.Builder builder = dev.gymlink.proto.v1.Tensor.newBuilder()
                .setDtype(toProto(dtype))
                .setData(UnsafeByteOperations.unsafeWrap(bytes.array()));
        for (int dim : shape) {
            builder.addShape(dim);
        }
        return builder.build();
    }

    static Tensor fromProto(dev.gymlink.proto.v1.Tensor tensor) {
        DType dtype = fromProto(tensor.getDtype());
        int[] shape = shapeFromProto(tensor.getShapeList(), "tensor");
        int size = Tensor.sizeOf(shape);
        ByteString raw = tensor.getData();
        if (raw.size() != (long) size * dtype.itemSize()) {
            throw new IllegalArgumentException("tensor " + dtype.numpyName() + " " + PythonRepr.shapeString(shape)
                    + " needs " + (long) size * dtype.itemSize() + " bytes, got " + raw.size());
        }
        ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] data = new double[size];
        for (int i = 0; i < size; i++) {
            data[i] = switch (dtype) {
                case FLOAT32 -> bytes.getFloat();
                case FLOAT64 -> bytes.getDouble();
                case INT8 -> bytes.get();
                case UINT8, BOOL -> bytes.get() & 0xff;
                case INT16 -> bytes.getShort();
                case UINT16 -> bytes.getShort() & 0xffff;
                case INT32 -> bytes.getInt();
                case UINT32 -> bytes.getInt() & 0xffffffffL;
                case INT64 -> bytes.getLong();
                case UINT64 -> unsignedToDouble(bytes.getLong());
            };
        }
        return new Tensor(dtype, shape, data);
    }

    private static double unsignedToDouble(long bits) {
        return bits >= 0 ? bits : ((bits >>> 1) | (bits & 1)) * 2.0;
    }

    static int[] shapeFromProto(List<Long> dims, String what) {
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long dim = dims.get(i);
            if (dim < 0 || dim > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " shape " + dims + " has an invalid dimension " + dim);
            }
            shape[i] = (int) dim;
        }
        return shape;
    }

    static List<Long> shapeToProto(int[] shape) {
        List<Long> dims = new ArrayList<>(shape.length);
        for (int dim : shape) {
            dims.add((long) dim);
        }
        return dims;
    }

    static RgbFrame fromProto(Frame frame) {
        Tensor rgb = fromProto(frame.getRgb());
        if (rgb.dtype() != DType.UINT8 || rgb.shape().length != 3 || rgb.shape()[2] != 3) {
            throw new IllegalArgumentException("a frame must be uint8 of shape (height, width, 3), got "
                    + rgb.dtype().numpyName() + " " + PythonRepr.shapeString(rgb.shape()));
        }
        byte[] bytes = frame.getRgb().getData().toByteArray();
        return new RgbFrame(rgb.shape()[0], rgb.shape()[1], bytes);
    }
}
