"""GDAL as the oracle for files the pipeline writes (run with /usr/bin/python3, which has osgeo).

Reads JSON from stdin: {"paths": [...]}. For each file: the COG validator's errors and warnings, EPSG,
geotransform, size, dataset metadata, and every band's type, nodata and pixels (raw native-endian bytes, base64),
so the caller can compare whole rasters, not samples. One process for all files keeps it fast.
"""
import base64
import json
import math
import sys

from osgeo import gdal
from osgeo_utils.samples.validate_cloud_optimized_geotiff import ValidateCloudOptimizedGeoTIFFException, validate

gdal.UseExceptions()
req = json.load(sys.stdin)
out = {}
for path in req["paths"]:
    r = {}
    try:
        warnings, errors, _ = validate(path, full_check=True)
        r["errors"], r["warnings"] = errors, warnings
    except ValidateCloudOptimizedGeoTIFFException as e:
        r["errors"], r["warnings"] = [str(e)], []
    ds = gdal.Open(path)
    srs = ds.GetSpatialRef()
    code = srs.GetAuthorityCode(None) if srs else None
    r["epsg"] = int(code) if code else None
    r["geotransform"] = list(ds.GetGeoTransform())
    r["size"] = [ds.RasterXSize, ds.RasterYSize]
    r["metadata"] = ds.GetMetadata()
    bands = []
    for i in range(1, ds.RasterCount + 1):
        b = ds.GetRasterBand(i)
        nodata = b.GetNoDataValue()
        bands.append({
            "type": gdal.GetDataTypeName(b.DataType),
            # JSON has no NaN: spell it as a string.
            "nodata": "NaN" if nodata is not None and math.isnan(nodata) else nodata,
            "overviews": b.GetOverviewCount(),
            "data": base64.b64encode(b.ReadRaster()).decode("ascii"),
        })
    r["bands"] = bands
    out[path] = r
json.dump(out, sys.stdout)
